using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Synthetics.Configuration;
using Synthetics.Probes;

namespace Synthetics.Targets;

/// <summary>
/// Turns validated <c>Synthetics:Targets</c> into the host's <see cref="TargetCatalog"/>: reads each kubeconfig and CA
/// bundle, and picks each target's probes from the ones registered (<see cref="IProbe"/> from DI, so a probe added to the
/// container is one a target can run). One per host: what it reads it keeps, so start-up validation (which needs the
/// files to tell whether they are usable) and the catalog read each file once however many times options are validated.
/// A target whose kubeconfig or CA bundle cannot be had stops no start: it becomes an <see cref="UnresolvedTarget"/>,
/// reported every cycle while the others are probed. Only what the settings themselves get wrong stops a start.
/// </summary>
internal sealed partial class TargetCatalogFactory(
    IEnumerable<IProbe> probes, ITargetSourceReader reader, ILogger<TargetCatalogFactory>? logger = null)
{
    private readonly IReadOnlyList<IProbe> _probes = [.. probes];
    private readonly ILogger _logger = logger ?? NullLogger<TargetCatalogFactory>.Instance;
    private readonly ConcurrentDictionary<(string Source, string? Context), Lazy<Read<KubeconfigLoader.Loaded>>> _kubeconfigs = new();
    private readonly ConcurrentDictionary<string, Lazy<Read<X509Certificate2Collection>>> _caFiles = new(StringComparer.Ordinal);

    // Warnings already logged: a discovered catalog is rebuilt when it changes, and says each problem once per host.
    private readonly ConcurrentDictionary<string, byte> _reported = new(StringComparer.Ordinal);

    /// <summary>
    /// Validation's part of a target: whether its chosen probes exist and apply to its endpoint, each message naming it
    /// (<paramref name="where"/>) and the field. A source that cannot be read is no error here (the target is reported
    /// unresolved at run time); reads are kept for <see cref="Create"/>.
    /// </summary>
    public void CheckSources(TargetOptions entry, TargetKind kind, string? baseDirectory, string where, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(errors);
        var source = Resolve(entry, kind, baseDirectory);
        if (source.Endpoint is { } endpoint)
        {
            _ = SelectProbes(entry, kind, endpoint, where, errors);
        }
        else if (source.Unresolved is not null)
        {
            // Without an endpoint, applicability is unknown until the source is fixed; the names can be checked now.
            CheckProbeNames(entry, where, errors);
        }
    }

    /// <summary>
    /// The catalog of <paramref name="options"/>, which the options pattern has validated: the targets to probe, and those
    /// whose kubeconfig or CA bundle cannot be had (each logged once as a warning naming the target and the field).
    /// </summary>
    /// <exception cref="ConfigurationException">A target cannot be built (only when called with options nobody validated).</exception>
    public TargetCatalog Create(SyntheticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var targets = new List<Target>();
        var unresolved = new List<UnresolvedTarget>();
        for (var i = 0; i < options.Targets.Count; i++)
        {
            var entry = options.Targets[i];
            Build(entry, SettingPath.Target(i, entry.Name), options, networkOnly: false, errors, targets, unresolved);
        }

        return errors.Count > 0 ? throw new ConfigurationException(errors) : new TargetCatalog(targets, unresolved);
    }

    /// <summary>
    /// The catalog of this cycle: <paramref name="settings"/> (the targets of the settings, which win by name) and the
    /// discovered targets the settings do not name. A discovered cluster with a kubeconfig in
    /// <c>Synthetics:Discovery:Kubeconfigs:&lt;clusterId&gt;</c> is built from it like a settings target (every Kubernetes
    /// probe); without one it gets the network probes that need neither credentials nor the cluster CA. A discovered
    /// target that cannot be built is logged and left out; nothing here throws for what the catalog holds.
    /// </summary>
    public TargetCatalog WithDiscovered(SyntheticsOptions options, TargetCatalog settings, IReadOnlyList<Discovery.DiscoveredTarget> discovered)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(discovered);
        var taken = settings.Targets.Select(t => t.Name).Concat(settings.Unresolved.Select(u => u.Name)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var targets = new List<Target>(settings.Targets);
        var unresolved = new List<UnresolvedTarget>(settings.Unresolved);
        foreach (var found in discovered)
        {
            if (!taken.Add(found.Name))
            {
                continue;
            }

            var entry = new TargetOptions
            {
                Name = found.Name,
                Kind = found.Kind,
                Region = found.Region,
                Labels = new Dictionary<string, string>(found.Labels, StringComparer.Ordinal),
                Url = found.Url,
                Host = found.Host,
                Port = found.Port,
            };
            var where = $"discovered '{found.Name}'";
            var networkOnly = false;
            if (found.ClusterId is { } clusterId
                && options.Discovery.Kubeconfigs.TryGetValue(clusterId.ToString(System.Globalization.CultureInfo.InvariantCulture), out var kubeconfig)
                && !string.IsNullOrWhiteSpace(kubeconfig))
            {
                entry.KubeconfigContent = kubeconfig;
                entry.Url = null;
                where = $"Synthetics:Discovery:Kubeconfigs:{clusterId.ToString(System.Globalization.CultureInfo.InvariantCulture)} '{found.Name}'";
            }
            else if (found.Kind == nameof(TargetKind.KubernetesApi))
            {
                networkOnly = true;
            }

            var errors = new List<string>();
            Build(entry, where, options, networkOnly, errors, targets, unresolved);
            foreach (var error in errors.Where(e => _reported.TryAdd(e, 0)))
            {
                LogDiscoveredSkipped(_logger, error);
            }
        }

        return new TargetCatalog(targets, unresolved);
    }

    /// <summary>One entry into <paramref name="targets"/>, <paramref name="unresolved"/> or <paramref name="errors"/>.</summary>
    private void Build(
        TargetOptions entry, string where, SyntheticsOptions options, bool networkOnly,
        List<string> errors, List<Target> targets, List<UnresolvedTarget> unresolved)
    {
        if (!TargetOptionsValidator.TryParseKind(entry.Kind, out var kind))
        {
            errors.Add($"{where}: Kind '{entry.Kind}' is unknown (KubernetesApi, Http or Tcp)");
            return;
        }

        var before = errors.Count;
        var source = networkOnly ? NetworkOnly(entry) : Resolve(entry, kind, options.BaseDirectory);
        if (source.Unresolved is { } failed)
        {
            CheckProbeNames(entry, where, errors);
            if (errors.Count == before)
            {
                var target = new UnresolvedTarget(
                    entry.Name?.Trim() ?? "", kind, entry.Region?.Trim() ?? "", failed.Field, failed.Reason,
                    new Dictionary<string, string>(entry.Labels, StringComparer.Ordinal))
                {
                    Setting = where,
                };
                unresolved.Add(target);
                if (_reported.TryAdd(where + "\n" + failed.Reason, 0))
                {
                    LogUnresolved(_logger, where, failed.Reason);
                }
            }

            return;
        }

        if (source.Endpoint is not { } endpoint)
        {
            errors.Add($"{where}: has no endpoint ({kind} needs {(kind == TargetKind.Tcp ? "Host and Port" : kind == TargetKind.Http ? "Url" : "a kubeconfig")})");
            return;
        }

        // Without credentials or the cluster CA, a control plane gets what a TCP port gets: the rest would report the
        // missing kubeconfig as the provider's failure.
        var selected = networkOnly
            ? SelectProbes(entry, TargetKind.Tcp, endpoint with { UseTls = false }, where, errors)
            : SelectProbes(entry, kind, endpoint, where, errors);
        if (errors.Count > before)
        {
            return;
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

    /// <summary>A discovered control plane without its kubeconfig: the endpoint of its API URL, nothing to trust or present.</summary>
    private static TargetSource NetworkOnly(TargetOptions entry) =>
        TargetOptionsValidator.TryParseUrl(entry.Url, out var url)
            ? new TargetSource(new TargetEndpoint(url.IdnHost, url.Port, url.Scheme == Uri.UriSchemeHttps))
            : new TargetSource(null);

    /// <summary>
    /// Where a target's probes connect and what they trust, from its fields and files; or which source failed and why
    /// (without the target's name).
    /// </summary>
    private TargetSource Resolve(TargetOptions entry, TargetKind kind, string? baseDirectory)
    {
        switch (kind)
        {
            case TargetKind.Tcp:
                return new TargetSource(
                    !string.IsNullOrWhiteSpace(entry.Host) && entry.Port is >= 1 and <= 65535 ? new TargetEndpoint(entry.Host.Trim(), entry.Port.Value, UseTls: false) : null);

            case TargetKind.Http:
            {
                X509Certificate2Collection? trusted = null;
                if (!string.IsNullOrWhiteSpace(entry.CaFile))
                {
                    var read = _caFiles.GetOrAdd(Resolve(entry.CaFile, baseDirectory), path => new(() =>
                        new Read<X509Certificate2Collection>(reader.TryReadCaFile(path, out var error), error))).Value;
                    trusted = read.Value;
                    if (trusted is null)
                    {
                        // Probing it against the system store instead would report another server's trust.
                        return new TargetSource(null) { Unresolved = new(nameof(TargetOptions.CaFile), read.Error ?? "CaFile cannot be read") };
                    }
                }

                if (!TargetOptionsValidator.TryParseUrl(entry.Url, out var url))
                {
                    return new TargetSource(null) { Trusted = trusted };
                }

                return new TargetSource(new TargetEndpoint(url.IdnHost, url.Port, url.Scheme == Uri.UriSchemeHttps))
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
                    return new TargetSource(null);
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
                    var field = path is null ? nameof(TargetOptions.KubeconfigContent) : nameof(TargetOptions.Kubeconfig);
                    return new TargetSource(null) { Unresolved = new(field, read.Error ?? $"{field} cannot be read") };
                }

                var server = kubeconfig.Credentials.Server;
                return new TargetSource(new TargetEndpoint(server.IdnHost, server.Port, server.Scheme == Uri.UriSchemeHttps))
                {
                    Kubernetes = kubeconfig.Credentials,
                    Trusted = kubeconfig.ClusterCertificates,
                };
            }

            default:
                return new TargetSource(null);
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

        CheckProbeNames(entry, where, errors);
        var selected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in requested)
        {
            var normalized = name?.Trim().ToLowerInvariant() ?? "";
            if (_probes.All(p => p.Name != normalized))
            {
                continue; // unknown: CheckProbeNames said so
            }

            if (!applicable.Contains(normalized))
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

    /// <summary>That each probe a target names is registered: all that can be checked before its endpoint is known.</summary>
    private void CheckProbeNames(TargetOptions entry, string where, List<string> errors)
    {
        foreach (var name in entry.Probes ?? [])
        {
            var normalized = name?.Trim().ToLowerInvariant() ?? "";
            if (_probes.All(p => p.Name != normalized))
            {
                errors.Add($"{where}: Probes contains unknown probe '{name}' (known: {string.Join(", ", _probes.Select(p => p.Name))})");
            }
        }
    }

    private static string Resolve(string path, string? baseDirectory) =>
        Path.IsPathRooted(path) || string.IsNullOrEmpty(baseDirectory) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));

    /// <summary>Which field's source failed, and why, in one line that quotes nothing of it.</summary>
    private sealed record SourceFailure(string Field, string Reason);

    /// <summary>One read of a file or kubeconfig text: what it gave, or why not.</summary>
    private sealed record Read<T>(T? Value, string? Error)
        where T : class;

    /// <summary>A target's endpoint and what its probes need besides, as its fields and files give them.</summary>
    private sealed record TargetSource(TargetEndpoint? Endpoint)
    {
        /// <summary>The source that could not be had, when one could not: the target is then not probed.</summary>
        public SourceFailure? Unresolved { get; init; }

        public X509Certificate2Collection? Trusted { get; init; }

        public HttpExpectation? Http { get; init; }

        public KubernetesCredentials? Kubernetes { get; init; }
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Discovered target left out: {Problem}")]
    private static partial void LogDiscoveredSkipped(ILogger logger, string problem);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "{Target} is not probed: {Reason}")]
    private static partial void LogUnresolved(ILogger logger, string target, string reason);
}
