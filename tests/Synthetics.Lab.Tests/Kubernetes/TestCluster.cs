using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using k8s;
using Synthetics.Lab.Certificates;
using Synthetics.Lab.Kubernetes;

namespace Synthetics.Lab.Tests.Kubernetes;

/// <summary>A started lab API server with its CA and a token kubeconfig on disk, torn down together.</summary>
internal sealed class TestCluster : IAsyncDisposable
{
    public const string Token = "lab-admin-token";
    public const string ClusterName = "lke424242";

    private readonly string _directory;

    private TestCluster(CertificateAuthority authority, LabKubernetesApi api, string directory)
    {
        Authority = authority;
        Api = api;
        _directory = directory;
        KubeconfigPath = Path.Combine(directory, "kubeconfig.yaml");
        api.WriteKubeconfig(KubeconfigPath, ClusterName, api.BaseAddress, Token);
    }

    public CertificateAuthority Authority { get; }

    public LabKubernetesApi Api { get; }

    public string KubeconfigPath { get; }

    /// <param name="configure">Adjusts the server's options before it starts.</param>
    /// <param name="time">The server's clock for delays, watch timeouts and timestamps. Default <see cref="TimeProvider.System"/>.</param>
    public static async Task<TestCluster> StartAsync(Action<LabKubernetesApiOptions>? configure = null, TimeProvider? time = null)
    {
        var authority = CertificateAuthority.Create("lab-cluster-ca", (time ?? TimeProvider.System).GetUtcNow());
        var options = new LabKubernetesApiOptions();
        options.Tokens.Add(Token);
        options.ExtraDnsNames.Add("1a2b3c.ca-central-1.linodelke.net");
        configure?.Invoke(options);
        var api = new LabKubernetesApi(authority, options, time);
        await api.StartAsync(CancellationToken.None);
        var directory = Directory.CreateTempSubdirectory("lab-kube-").FullName;
        return new TestCluster(authority, api, directory);
    }

    /// <summary>The real KubernetesClient, configured from the kubeconfig the lab wrote (TLS verified against its CA).</summary>
    public IKubernetes CreateClient(string? kubeconfigPath = null) =>
        new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath ?? KubeconfigPath));

    /// <summary>A plain HttpClient trusting only the cluster CA, optionally with a bearer token and a fixed HTTP version.</summary>
    public HttpClient CreateHttpClient(string? token = Token, Version? version = null)
    {
        var client = new HttpClient(TrustingHandler(Authority)) { BaseAddress = Api.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        if (version is not null)
        {
            client.DefaultRequestVersion = version;
            client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>A handler that trusts only <paramref name="authority"/> and still checks the host name.</summary>
    public static SocketsHttpHandler TrustingHandler(CertificateAuthority authority)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        handler.SslOptions.CertificateChainPolicy.CustomTrustStore.Add(authority.Certificate);
        return handler;
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        Authority.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
