using System.Text;

namespace Synthetics.Core.Tests.Support;

/// <summary>Kubeconfig files as LKE hands them out (token user, embedded cluster CA).</summary>
public static class Kubeconfigs
{
    public static string WithToken(string server, string caPem, string token) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: lke12345
          cluster:
            server: {server}
            certificate-authority-data: {Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem))}
        users:
        - name: lke12345-admin
          user:
            token: {token}
        contexts:
        - name: lke12345-ctx
          context:
            cluster: lke12345
            namespace: default
            user: lke12345-admin
        current-context: lke12345-ctx
        """;
}
