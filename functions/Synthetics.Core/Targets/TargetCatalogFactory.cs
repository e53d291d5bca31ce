using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Synthetics.Configuration;
using Synthetics.Probes;

namespace Synthetics.Targets;

/// <summary>
/// Turns validated <c>Synthetics:Targets</c> into the host's <see cref="TargetCatalog"/>: reads each kubeconfig and CA
/// bundle, and picks each target's probes from the ones registered (<see cref="IProbe"/> from DI, so a probe added to the
/// container is one a target can run). One per host: what it reads it keeps, so start-up validation (which needs the
/// files to tell whether they are usable) and the catalog read each file once however many times options are validated.
/// </summary>
internal sealed class TargetCatalogFactory(IEnumerable<IProbe> probes, ITargetSourceReader reader)
{
    private readonly IReadOnlyList<IProbe> _probes = [.. probes];
    private readonly ConcurrentDictionary<(string Source, string? Context), Lazy<Read<KubeconfigLoader.Loaded>>> _kubeconfigs = new();
    private readonly ConcurrentDictionary<string, Lazy<Read<X509Certificate2Collection>>> _caFiles = new(StringComparer.Ordinal);

    /// <summary>
    /// Validation's part of a target: what only reading its files and matching its probes can show, each message naming
    /// it (<paramref name="where"/>) and the field. Reads are kept for <see cref="Create"/>.
    /// </summary>
    public void CheckSources(TargetOptions entry, TargetKind kind, string? baseDirectory, string where, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(errors);
        var source = Resolve(entry, kind, baseDirectory);
        errors.AddRange(source.Errors.Select(error => $"{where}: {error}"));
        if (source.Endpoint is { } endpoint)
        {
            _ = SelectProbes(entry, kind, endpoint, where, errors);
        }
    }

    /// <summary>The catalog of <paramref name="options"/>, which the options pattern has validated.</summary>
    /// <exception cref="ConfigurationException">A target cannot be built (only when called with options nobody validated).</exception>
    public TargetCatalog Create(SyntheticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var targets = new List<Target>();
        for (var i = 0; i < options.Targets.Count; i++)
        {
            var entry = options.Targets[i];
            var where = SettingPath.Target(i, entry.Name);
            if (!TargetOptionsValidator.TryParseKind(entry.Kind, out var kind))
            {
                errors.Add($"{where}: Kind '{entry.Kind}' is unknown (KubernetesApi, Http or Tcp)");
                continue;
            }

            var before = errors.Count;
            var source = Resolve(entry, kind, options.BaseDirectory);
            errors.AddRange(source.Errors.Select(error => $"{where}: {error}"));
            if (source.Endpoint is not { } endpoint)
            {
                errors.Add($"{where}: has no endpoint ({kind} needs {(kind == TargetKind.Tcp ? "Host and Port" : kind == TargetKind.Http ? "Url" : "a kubeconfig")})");
                continue;
            }

            var selected = SelectProbes(entry, kind, endpoint, where, errors);
            if (errors.Count > before)
            {
                continue;
            }

            var timeoutSeconds = entry.TimeoutSeconds ?? options.Probing.TimeoutSeconds;
            var slowMs = entry.SlowThresholdMs ?? options.Probing.SlowThresholdMs;
            targets.Add(new Target
            {
                Name = entry.Name?.Trim() ?? "",
                Kind = kind,
                Region = entry.Region?.Trim() ?? "",
                Endpoint = endpoint,
                Timeout = TimeSpan.FromSeconds(timeoutSeconds > 0 && !double.IsNaN(timeoutSeconds) ? Math.Min(timeoutSeconds, ProbingOptions.MaxSeconds) : 1),
                SlowThreshold = TimeSpan.FromMilliseconds(slowMs > 0 ? slowMs : 1),
                Probes = selected,
                Labels = new Dictionary<string, string>(entry.Labels, StringComparer.Ordinal),
                TrustedCertificates = source.Trusted,
                Http = source.Http,
                Kubernetes = source.Kubernetes,
                Canary = kind == TargetKind.KubernetesApi ? KubernetesCanarySettings.For(entry, options.TimeScale) : null,
            });
        }

        return errors.Count > 0 ? throw new ConfigurationException(errors) : new TargetCatalog(targets);
    }

    /// <summary>Where a target's probes connect and what they trust, from its fields and files; errors without the target's name.</summary>
    private TargetSource Resolve(TargetOptions entry, TargetKind kind, string? baseDirectory)
    {
        var errors = new List<string>();
        switch (kind)
        {
            case TargetKind.Tcp:
                return new TargetSource(
                    !string.IsNullOrWhiteSpace(entry.Host) && entry.Port is >= 1 and <= 65535 ? new TargetEndpoint(entry.Host.Trim(), entry.Port.Value, UseTls: false) : null,
                    errors);

            case TargetKind.Http:
            {
                X509Certificate2Collection? trusted = null;
                if (!string.IsNullOrWhiteSpace(entry.CaFile))
                {
                    var read = _caFiles.GetOrAdd(Resolve(entry.CaFile, baseDirectory), path => new(() =>
                        new Read<X509Certificate2Collection>(reader.TryReadCaFile(path, out var error), error))).Value;
                    trusted = read.Value;
                    if (read.Error is { } error)
                    {
                        errors.Add(error);
                    }
                }

                if (!TargetOptionsValidator.TryParseUrl(entry.Url, out var url))
                {
                    return new TargetSource(null, errors) { Trusted = trusted };
                }

                return new TargetSource(new TargetEndpoint(url.IdnHost, url.Port, url.Scheme == Uri.UriSchemeHttps), errors)
                {
                    Trusted = trusted,
                    Http = new HttpExpectation(url, entry.ExpectStatus ?? 200, string.IsNullOrEmpty(entry.ExpectBodyContains) ? null : entry.ExpectBodyContains),
                };
            }

            case TargetKind.KubernetesApi:
            {
                // Which of the two is set is the validator's to report; only an unambiguous source is read.
                if (string.IsNullOrWhiteSpace(entry.Kubeconfig) == string.IsNullOrWhiteSpace(entry.KubeconfigContent))
                {
                    return new TargetSource(null, errors);
                }

                var path = string.IsNullOrWhiteSpace(entry.Kubeconfig) ? null : Resolve(entry.Kubeconfig, baseDirectory);
                var content = entry.KubeconfigContent;
                var context = entry.Context;
                var key = (path is null ? "content:" + content : "file:" + path, context);
                var read = _kubeconfigs.GetOrAdd(key, _ => new(() =>
                {
                    var loaded = path is null
                        ? reader.TryParseKubeconfig(content!, context, out var error)
                        : reader.TryReadKubeconfig(path, context, baseDirectory, out error);
                    return new Read<KubeconfigLoader.Loaded>(loaded, error);
                })).Value;
                if (read.Value is not { } kubeconfig)
                {
                    errors.Add(read.Error ?? "Kubeconfig cannot be read");
                    return new TargetSource(null, errors);
                }

                var server = kubeconfig.Credentials.Server;
                return new TargetSource(new TargetEndpoint(server.IdnHost, server.Port, server.Scheme == Uri.UriSchemeHttps), errors)
                {
                    Kubernetes = kubeconfig.Credentials,
                    Trusted = kubeconfig.ClusterCertificates,
                };
            }

            default:
                return new TargetSource(null, errors);
        }
    }

    /// <summary>The registered probes that apply to the target, narrowed by its <c>Probes</c> field when it has one.</summary>
    private HashSet<string> SelectProbes(TargetOptions entry, TargetKind kind, TargetEndpoint endpoint, string where, List<string> errors)
    {
        var applicable = _probes
            .Where(p => p.AppliesTo(kind, endpoint))
            .Select(p => p.Name)
            .ToHashSet(StringComparer.Ordinal);
        if (entry.Probes is not { Count: > 0 } requested)
        {
            return applicable;
        }

        var selected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in requested)
        {
            var normalized = name?.Trim().ToLowerInvariant() ?? "";
            if (_probes.All(p => p.Name != normalized))
            {
                errors.Add($"{where}: Probes contains unknown probe '{name}' (known: {string.Join(", ", _probes.Select(p => p.Name))})");
            }
            else if (!applicable.Contains(normalized))
            {
                errors.Add($"{where}: Probes contains '{normalized}', which does not apply to this {kind} target (applicable: {string.Join(", ", applicable)})");
            }
            else
            {
                selected.Add(normalized);
            }
        }

        return selected;
    }

    private static string Resolve(string path, string? baseDirectory) =>
        Path.IsPathRooted(path) || string.IsNullOrEmpty(baseDirectory) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));

    /// <summary>One read of a file or kubeconfig text: what it gave, or why not.</summary>
    private sealed record Read<T>(T? Value, string? Error)
        where T : class;

    /// <summary>A target's endpoint and what its probes need besides, as its fields and files give them.</summary>
    private sealed record TargetSource(TargetEndpoint? Endpoint, IReadOnlyList<string> Errors)
    {
        public X509Certificate2Collection? Trusted { get; init; }

        public HttpExpectation? Http { get; init; }

        public KubernetesCredentials? Kubernetes { get; init; }
    }
}
