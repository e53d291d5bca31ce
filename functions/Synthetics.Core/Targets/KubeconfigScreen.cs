using System.Text;
using k8s;
using k8s.KubeConfigModels;
using YamlDotNet.Core;

namespace Synthetics.Targets;

/// <summary>
/// Checks an untrusted kubeconfig before KubernetesClient sees it. KubernetesClient runs an <c>exec</c> credential plugin
/// and reads <c>certificate-authority</c>, <c>client-certificate</c> and <c>client-key</c> files while it builds a
/// configuration, so a kubeconfig handed to it as is can run any command and read any file on the host. This screen
/// parses the YAML into KubernetesClient's own model (nothing runs or is read while parsing), keeps the one context in
/// use, refuses <c>exec</c>, <c>auth-provider</c> and basic-auth users and every file reference outside
/// <see cref="Access.AllowedDirectory"/>, reads the allowed files itself and returns a kubeconfig holding only embedded
/// data: what <c>BuildConfigFromConfigObject</c> then gets can neither execute nor read anything.
/// </summary>
/// <remarks>
/// Errors name the field by its position (<c>users[0].user.exec</c>), never a value: names, paths and data in a
/// kubeconfig are the file's content. Not screened because KubernetesClient never acts on them: fields it does not
/// model (<c>tokenFile</c>, <c>proxy-url</c>) are dropped when the YAML is parsed, and impersonation is not applied.
/// </remarks>
internal static class KubeconfigScreen
{
    // A kubeconfig is a few kilobytes; a CA bundle or client certificate a few more. Anything far larger is not one.
    internal const int MaxFileBytes = 1024 * 1024;

    /// <summary>Where a kubeconfig may point at files. <see cref="AllowedDirectory"/> null: no file at all.</summary>
    /// <param name="AllowedDirectory">Files must resolve (links followed) inside this directory.</param>
    /// <param name="RelativeTo">Relative paths in the kubeconfig are relative to this (kubectl: the kubeconfig's own directory).</param>
    internal sealed record Access(string? AllowedDirectory, string? RelativeTo)
    {
        /// <summary>A kubeconfig given as content (a Key Vault reference): it may name no file.</summary>
        public static Access None { get; } = new(null, null);
    }

    /// <summary>What passed the screen.</summary>
    /// <param name="Configuration">One context, one cluster, one user; embedded data only; TLS verification on.</param>
    /// <param name="Warnings">Things in the file that were ignored on purpose, e.g. <c>insecure-skip-tls-verify</c>.</param>
    internal sealed record Screened(K8SConfiguration Configuration, IReadOnlyList<string> Warnings);

    /// <summary>Parses and screens <paramref name="yaml"/>; null with <paramref name="error"/> (one line, no content quoted) when refused.</summary>
    public static Screened? TryScreen(string yaml, string? contextOverride, Access access, out string? error)
    {
        K8SConfiguration? parsed;
        try
        {
            parsed = KubernetesYaml.Deserialize<K8SConfiguration>(yaml);
        }
        catch (YamlException ex)
        {
            // YamlDotNet's messages carry positions, and sometimes the text around them: only the position is kept.
            error = $"is not valid kubeconfig YAML (line {ex.Start.Line}, column {ex.Start.Column})";
            return null;
        }
        catch (Exception ex) when (ex is InvalidCastException or FormatException or ArgumentException or InvalidOperationException)
        {
            error = "is not a kubeconfig (its YAML does not have a kubeconfig's shape)";
            return null;
        }

        if (parsed is null)
        {
            error = "is empty";
            return null;
        }

        var contexts = (parsed.Contexts ?? []).ToList();
        var contextName = string.IsNullOrWhiteSpace(contextOverride) ? parsed.CurrentContext : contextOverride;
        if (string.IsNullOrWhiteSpace(contextName))
        {
            error = "names no context to use (current-context is empty and no Context is configured)";
            return null;
        }

        // The same match KubernetesClient makes (first, case-insensitive), so the screened context is the one it would use.
        var contextIndex = contexts.FindIndex(c => string.Equals(c?.Name, contextName, StringComparison.OrdinalIgnoreCase));
        if (contextIndex < 0)
        {
            error = string.IsNullOrWhiteSpace(contextOverride)
                ? "has no context named by current-context"
                : "has no context with the configured Context name";
            return null;
        }

        var context = contexts[contextIndex];
        if (string.IsNullOrWhiteSpace(context.ContextDetails?.Cluster))
        {
            error = $"contexts[{contextIndex}].context.cluster is empty";
            return null;
        }

        var clusters = (parsed.Clusters ?? []).ToList();
        var clusterIndex = clusters.FindIndex(c => string.Equals(c?.Name, context.ContextDetails.Cluster, StringComparison.OrdinalIgnoreCase));
        if (clusterIndex < 0 || clusters[clusterIndex].ClusterEndpoint is null)
        {
            error = $"contexts[{contextIndex}].context.cluster names no cluster in clusters";
            return null;
        }

        var warnings = new List<string>();
        var cluster = ScreenCluster(clusters[clusterIndex], $"clusters[{clusterIndex}].cluster", access, warnings, out error);
        if (cluster is null)
        {
            return null;
        }

        User? user = null;
        if (!string.IsNullOrWhiteSpace(context.ContextDetails.User))
        {
            var users = (parsed.Users ?? []).ToList();
            var userIndex = users.FindIndex(u => string.Equals(u?.Name, context.ContextDetails.User, StringComparison.OrdinalIgnoreCase));
            if (userIndex < 0 || users[userIndex].UserCredentials is null)
            {
                error = $"contexts[{contextIndex}].context.user names no user in users";
                return null;
            }

            user = ScreenUser(users[userIndex], $"users[{userIndex}].user", access, out error);
            if (user is null)
            {
                return null;
            }
        }

        var details = new ContextDetails
        {
            Cluster = cluster.Name,
            User = user?.Name,
            Namespace = context.ContextDetails.Namespace,
        };
        error = null;
        return new Screened(
            new K8SConfiguration
            {
                ApiVersion = "v1",
                Kind = "Config",
                CurrentContext = context.Name,
                Contexts = [new Context { Name = context.Name, ContextDetails = details }],
                Clusters = [cluster],
                Users = user is null ? [] : [user],
            },
            warnings);
    }

    private static Cluster? ScreenCluster(Cluster source, string field, Access access, List<string> warnings, out string? error)
    {
        var endpoint = source.ClusterEndpoint;
        if (string.IsNullOrWhiteSpace(endpoint.Server))
        {
            error = $"{field}.server is empty";
            return null;
        }

        var caData = endpoint.CertificateAuthorityData;
        if (string.IsNullOrEmpty(caData) && !string.IsNullOrEmpty(endpoint.CertificateAuthority))
        {
            caData = ReadAllowed(endpoint.CertificateAuthority, $"{field}.certificate-authority", access, out error);
            if (caData is null)
            {
                return null;
            }
        }

        if (endpoint.SkipTlsVerify)
        {
            warnings.Add($"{field}.insecure-skip-tls-verify is set and ignored: the server certificate is always verified");
        }

        error = null;
        return new Cluster
        {
            Name = source.Name,
            ClusterEndpoint = new ClusterEndpoint
            {
                Server = endpoint.Server,
                CertificateAuthorityData = caData,
                TlsServerName = endpoint.TlsServerName,
                SkipTlsVerify = false,
            },
        };
    }

    private static User? ScreenUser(User source, string field, Access access, out string? error)
    {
        var credentials = source.UserCredentials;
        if (credentials.ExternalExecution is not null)
        {
            error = $"{field}.exec is refused: the monitor runs no credential plugin from a kubeconfig (use an embedded token or client-certificate-data and client-key-data)";
            return null;
        }

        if (credentials.AuthProvider is not null)
        {
            error = $"{field}.auth-provider is refused: only an embedded token or client certificate is accepted";
            return null;
        }

        if (!string.IsNullOrEmpty(credentials.UserName) || !string.IsNullOrEmpty(credentials.Password))
        {
            error = $"{field}.username/password (basic authentication) is refused: only an embedded token or client certificate is accepted";
            return null;
        }

        var certificateData = credentials.ClientCertificateData;
        var keyData = credentials.ClientKeyData;
        if (string.IsNullOrEmpty(certificateData) && !string.IsNullOrEmpty(credentials.ClientCertificate))
        {
            certificateData = ReadAllowed(credentials.ClientCertificate, $"{field}.client-certificate", access, out error);
            if (certificateData is null)
            {
                return null;
            }
        }

        if (string.IsNullOrEmpty(keyData) && !string.IsNullOrEmpty(credentials.ClientKey))
        {
            keyData = ReadAllowed(credentials.ClientKey, $"{field}.client-key", access, out error);
            if (keyData is null)
            {
                return null;
            }
        }

        if (string.IsNullOrEmpty(certificateData) != string.IsNullOrEmpty(keyData))
        {
            error = $"{field} has a client certificate without its key, or a key without its certificate";
            return null;
        }

        if (string.IsNullOrWhiteSpace(credentials.Token) && string.IsNullOrEmpty(certificateData))
        {
            error = $"{field} has no usable credentials (an embedded token, or client-certificate-data and client-key-data)";
            return null;
        }

        error = null;
        return new User
        {
            Name = source.Name,
            UserCredentials = new UserCredentials
            {
                Token = credentials.Token,
                ClientCertificateData = certificateData,
                ClientKeyData = keyData,
            },
        };
    }

    /// <summary>Reads a referenced file as base64 (the <c>*-data</c> form) when the access allows it; null with an error otherwise.</summary>
    private static string? ReadAllowed(string reference, string field, Access access, out string? error)
    {
        if (access.AllowedDirectory is null)
        {
            error = $"{field} is a file reference, and a kubeconfig given as content may reference no file (embed it as {DataField(field)})";
            return null;
        }

        string? resolved;
        try
        {
            var path = Path.IsPathRooted(reference) || access.RelativeTo is null
                ? Path.GetFullPath(reference)
                : Path.GetFullPath(Path.Combine(access.RelativeTo, reference));
            resolved = RealPath(path);
            var root = RealPath(Path.GetFullPath(access.AllowedDirectory));
            if (resolved is null || root is null || !IsInside(resolved, root))
            {
                error = $"{field} points outside the config file's directory, and only files inside it may be read (or embed it as {DataField(field)})";
                return null;
            }
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            error = $"{field} is not a usable path";
            return null;
        }

        try
        {
            var info = new FileInfo(resolved);
            if (!info.Exists)
            {
                error = $"{field} names a file that does not exist";
                return null;
            }

            if (info.Length > MaxFileBytes)
            {
                error = $"{field} names a file larger than {MaxFileBytes / 1024} KiB";
                return null;
            }

            error = null;
            return Convert.ToBase64String(File.ReadAllBytes(resolved));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"{field} names a file that cannot be read";
            return null;
        }
    }

    private static string DataField(string field) => field[(field.LastIndexOf('.') + 1)..] + "-data";

    /// <summary>
    /// The path with every symbolic link on the way resolved, so a link inside the allowed directory cannot lead out of it
    /// (mounted secrets are links into a sibling directory; those stay inside and are fine). Null after too many links.
    /// </summary>
    internal static string? RealPath(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath) ?? "";
        var pending = new Queue<string>(fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries));
        var current = root;
        var links = 0;
        while (pending.TryDequeue(out var part))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo entry = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (entry.Exists && entry.LinkTarget is { } target)
            {
                if (++links > 40)
                {
                    return null;
                }

                // Resolve the target and whatever remains after it once more, component by component.
                var rest = pending.ToArray();
                var resolvedTarget = Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(current, target));
                root = Path.GetPathRoot(resolvedTarget) ?? "";
                pending = new Queue<string>(resolvedTarget[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Concat(rest));
                current = root;
                continue;
            }

            current = next;
        }

        return current;
    }

    private static bool IsInside(string path, string directory)
    {
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var prefix = directory.EndsWith(Path.DirectorySeparatorChar) ? directory : directory + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, comparison);
    }

    /// <summary>The kubeconfig text of a Key Vault reference: YAML as is, or base64 of it.</summary>
    public static string DecodeContent(string content)
    {
        if (content.TrimStart().StartsWith("apiVersion", StringComparison.Ordinal) || content.Contains('\n', StringComparison.Ordinal))
        {
            return content;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(content.Trim()));
        }
        catch (FormatException)
        {
            return content;
        }
    }
}
