using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Synthetics.Configuration;
using Synthetics.Probes;
using Synthetics.Scheduling;

namespace Synthetics.Targets;

/// <summary>
/// Turns the <c>Synthetics</c> section into checked targets, collecting every problem before failing so
/// one run of the tool shows all that is wrong, each naming the target and the field.
/// </summary>
public static class TargetCatalogBuilder
{
    /// <summary>Validates <paramref name="options"/> and builds the targets.</summary>
    /// <exception cref="ConfigurationException">Anything is wrong; the message names each target and field.</exception>
    public static IReadOnlyList<Target> Build(SyntheticsOptions options, IEnumerable<IProbe> probes)
    {
        ArgumentNullException.ThrowIfNull(options);
        var available = probes.ToList();
        var errors = new List<string>();
        var targets = new List<Target>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        if (string.IsNullOrWhiteSpace(options.VantagePoint))
        {
            errors.Add("Synthetics:VantagePoint is required");
        }

        ValidateProbing(options.Probing, errors);
        Detection.DetectionOptionsValidator.Validate(options.Detection, errors);
        ValidateSchedule("ProbeSchedule", options.ProbeSchedule, errors);
        ValidateSchedule("EvaluationSchedule", options.EvaluationSchedule, errors);
        Storage.StorageOptionsValidator.Validate(options, errors);

        for (var i = 0; i < options.Targets.Count; i++)
        {
            var entry = options.Targets[i];
            var where = entry.Name is { Length: > 0 } n ? $"Synthetics:Targets[{i}] '{n}'" : $"Synthetics:Targets[{i}]";
            var before = errors.Count;
            var target = BuildOne(entry, options, available, where, errors);
            if (entry.Name is { Length: > 0 } name && !names.Add(name))
            {
                errors.Add($"{where}: Name '{name}' is used by another target; names must be unique");
            }

            if (target is not null && errors.Count == before)
            {
                targets.Add(target);
            }
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationException(errors);
        }

        return targets;
    }

    private static void ValidateSchedule(string name, string expression, List<string> errors)
    {
        if (CronSchedule.TryParse(expression, out var error) is null)
        {
            errors.Add($"Synthetics:{name} {error}");
        }
    }

    private static void ValidateProbing(ProbingOptions probing, List<string> errors)
    {
        if (probing.TimeoutSeconds is <= 0 or > 300 || double.IsNaN(probing.TimeoutSeconds))
        {
            errors.Add($"Synthetics:Probing:TimeoutSeconds must be > 0 and ≤ 300 (was {Format(probing.TimeoutSeconds)})");
        }

        if (probing.MaxConcurrency is < 1 or > 1024)
        {
            errors.Add($"Synthetics:Probing:MaxConcurrency must be 1–1024 (was {probing.MaxConcurrency})");
        }

        if (probing.CycleBudgetSeconds <= 0 || double.IsNaN(probing.CycleBudgetSeconds))
        {
            errors.Add($"Synthetics:Probing:CycleBudgetSeconds must be > 0 (was {Format(probing.CycleBudgetSeconds)})");
        }

        if (probing.SlowThresholdMs <= 0 || double.IsNaN(probing.SlowThresholdMs))
        {
            errors.Add($"Synthetics:Probing:SlowThresholdMs must be > 0 (was {Format(probing.SlowThresholdMs)})");
        }

        if (probing.CertificateExpiryWarningDays < 0 || double.IsNaN(probing.CertificateExpiryWarningDays))
        {
            errors.Add($"Synthetics:Probing:CertificateExpiryWarningDays must be ≥ 0 (was {Format(probing.CertificateExpiryWarningDays)})");
        }

        if (probing.MaxStartsPerSecond < 0 || double.IsNaN(probing.MaxStartsPerSecond))
        {
            errors.Add($"Synthetics:Probing:MaxStartsPerSecond must be ≥ 0 (was {Format(probing.MaxStartsPerSecond)})");
        }

        if (probing.MaxBodyBytes < 1)
        {
            errors.Add($"Synthetics:Probing:MaxBodyBytes must be ≥ 1 (was {probing.MaxBodyBytes})");
        }
    }

    private static Target? BuildOne(
        TargetOptions entry, SyntheticsOptions options, List<IProbe> available, string where, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(entry.Name))
        {
            errors.Add($"{where}: Name is required");
        }

        if (string.IsNullOrWhiteSpace(entry.Region))
        {
            errors.Add($"{where}: Region is required");
        }

        if (string.IsNullOrWhiteSpace(entry.Kind))
        {
            errors.Add($"{where}: Kind is required (KubernetesApi, Http or Tcp)");
            return null;
        }

        if (!Enum.TryParse<TargetKind>(entry.Kind, ignoreCase: true, out var kind) || !Enum.IsDefined(kind)
            || int.TryParse(entry.Kind, out _))
        {
            errors.Add($"{where}: Kind '{entry.Kind}' is unknown (KubernetesApi, Http or Tcp)");
            return null;
        }

        var timeoutSeconds = entry.TimeoutSeconds ?? options.Probing.TimeoutSeconds;
        if (timeoutSeconds is <= 0 or > 300 || double.IsNaN(timeoutSeconds))
        {
            errors.Add($"{where}: TimeoutSeconds must be > 0 and ≤ 300 (was {Format(timeoutSeconds)})");
        }

        var slowMs = entry.SlowThresholdMs ?? options.Probing.SlowThresholdMs;
        if (slowMs <= 0 || double.IsNaN(slowMs))
        {
            errors.Add($"{where}: SlowThresholdMs must be > 0 (was {Format(slowMs)})");
        }

        TargetEndpoint? endpoint = null;
        HttpExpectation? http = null;
        KubernetesCredentials? kubernetes = null;
        KubernetesCanarySettings? canary = null;
        X509Certificate2Collection? trusted = null;

        switch (kind)
        {
            case TargetKind.Tcp:
                if (string.IsNullOrWhiteSpace(entry.Host))
                {
                    errors.Add($"{where}: Host is required for kind Tcp");
                }

                if (entry.Port is null)
                {
                    errors.Add($"{where}: Port is required for kind Tcp");
                }
                else if (entry.Port is < 1 or > 65535)
                {
                    errors.Add($"{where}: Port must be 1–65535 (was {entry.Port})");
                }

                if (!string.IsNullOrWhiteSpace(entry.Host) && entry.Port is >= 1 and <= 65535)
                {
                    endpoint = new TargetEndpoint(entry.Host.Trim(), entry.Port.Value, UseTls: false);
                }

                break;

            case TargetKind.Http:
                if (string.IsNullOrWhiteSpace(entry.Url))
                {
                    errors.Add($"{where}: Url is required for kind Http");
                }
                else if (!Uri.TryCreate(entry.Url, UriKind.Absolute, out var url)
                         || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                {
                    errors.Add($"{where}: Url '{entry.Url}' is not an absolute http or https URL");
                }
                else
                {
                    var expect = entry.ExpectStatus ?? 200;
                    if (expect is < 100 or > 599)
                    {
                        errors.Add($"{where}: ExpectStatus must be 100–599 (was {expect})");
                    }

                    endpoint = new TargetEndpoint(url.IdnHost, url.Port, url.Scheme == Uri.UriSchemeHttps);
                    http = new HttpExpectation(url, expect, string.IsNullOrEmpty(entry.ExpectBodyContains) ? null : entry.ExpectBodyContains);
                }

                if (!string.IsNullOrWhiteSpace(entry.CaFile))
                {
                    trusted = LoadCaFile(Resolve(entry.CaFile, options.BaseDirectory), where, errors);
                }

                break;

            case TargetKind.KubernetesApi:
                canary = BuildCanary(entry, options.Probing, options.TimeScale, where, errors);
                if (string.IsNullOrWhiteSpace(entry.Kubeconfig) == string.IsNullOrWhiteSpace(entry.KubeconfigContent))
                {
                    errors.Add($"{where}: Kubeconfig (a file) or KubeconfigContent (the kubeconfig itself), one of them, is required for kind KubernetesApi");
                    break;
                }

                var loaded = string.IsNullOrWhiteSpace(entry.Kubeconfig)
                    ? KubeconfigLoader.TryLoadContent(entry.KubeconfigContent!, entry.Context, out var error)
                    : KubeconfigLoader.TryLoad(Resolve(entry.Kubeconfig, options.BaseDirectory), entry.Context, options.BaseDirectory, out error);
                if (loaded is null)
                {
                    errors.Add($"{where}: {error}");
                    break;
                }

                kubernetes = loaded.Credentials;
                trusted = loaded.ClusterCertificates;
                var server = loaded.Credentials.Server;
                endpoint = new TargetEndpoint(server.IdnHost, server.Port, server.Scheme == Uri.UriSchemeHttps);
                break;
        }

        if (endpoint is null)
        {
            return null;
        }

        var applicable = available
            .Where(p => p.AppliesTo(kind, endpoint))
            .Select(p => p.Name)
            .ToHashSet(StringComparer.Ordinal);
        var selected = applicable;
        if (entry.Probes is { Count: > 0 } requested)
        {
            selected = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in requested)
            {
                var normalized = name?.Trim().ToLowerInvariant() ?? "";
                if (available.All(p => p.Name != normalized))
                {
                    errors.Add($"{where}: Probes contains unknown probe '{name}' (known: {string.Join(", ", available.Select(p => p.Name))})");
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
        }

        return new Target
        {
            Name = entry.Name?.Trim() ?? "",
            Kind = kind,
            Region = entry.Region?.Trim() ?? "",
            Endpoint = endpoint,
            Timeout = TimeSpan.FromSeconds(timeoutSeconds > 0 && !double.IsNaN(timeoutSeconds) ? Math.Min(timeoutSeconds, 300) : 1),
            SlowThreshold = TimeSpan.FromMilliseconds(slowMs > 0 ? slowMs : 1),
            Probes = selected,
            Labels = new Dictionary<string, string>(entry.Labels, StringComparer.Ordinal),
            TrustedCertificates = trusted,
            Http = http,
            Kubernetes = kubernetes,
            Canary = canary,
        };
    }

    private static KubernetesCanarySettings BuildCanary(TargetOptions entry, ProbingOptions probing, double timeScale, string where, List<string> errors)
    {
        // The code's defaults are durations of the same product: on a scaled timeline they scale like the settings.
        var defaults = Configuration.TimeScaling.Apply(KubernetesCanarySettings.Default with { }, timeScale);
        var ns = entry.CanaryNamespace?.Trim() ?? defaults.Namespace;
        if (!IsDnsLabel(ns))
        {
            errors.Add($"{where}: CanaryNamespace '{ns}' is not a valid namespace name (lowercase letters, digits and '-', at most 63)");
        }

        var lease = Seconds(entry.LeaseDurationSeconds, defaults.LeaseDuration, "LeaseDurationSeconds", where, errors);
        var renew = Seconds(entry.RenewDeadlineSeconds, defaults.RenewDeadline, "RenewDeadlineSeconds", where, errors);
        var retry = Seconds(entry.RetryPeriodSeconds, defaults.RetryPeriod, "RetryPeriodSeconds", where, errors);
        var hold = Seconds(entry.CanaryHoldSeconds, defaults.Hold, "CanaryHoldSeconds", where, errors);
        var call = Seconds(entry.ApiCallTimeoutSeconds, defaults.ApiCallTimeout, "ApiCallTimeoutSeconds", where, errors);

        // client-go's own rules: a leader must give up before its lease can expire, and have time for more than one attempt
        // (the 1.2 is client-go's JitterFactor).
        if (lease <= renew)
        {
            errors.Add($"{where}: LeaseDurationSeconds must be greater than RenewDeadlineSeconds (was {Format(lease.TotalSeconds)} ≤ {Format(renew.TotalSeconds)})");
        }

        if (renew.TotalSeconds <= 1.2 * retry.TotalSeconds)
        {
            errors.Add($"{where}: RenewDeadlineSeconds must be greater than 1.2 × RetryPeriodSeconds (was {Format(renew.TotalSeconds)} ≤ 1.2 × {Format(retry.TotalSeconds)})");
        }

        if (call > renew)
        {
            errors.Add($"{where}: ApiCallTimeoutSeconds must not exceed RenewDeadlineSeconds (was {Format(call.TotalSeconds)} > {Format(renew.TotalSeconds)})");
        }

        TimeSpan? warning = null;
        if (entry.RenewMarginWarningMs is { } warningMs)
        {
            if (double.IsNaN(warningMs) || warningMs < 0 || warningMs >= renew.TotalMilliseconds)
            {
                errors.Add($"{where}: RenewMarginWarningMs must be ≥ 0 and less than the renew deadline (was {Format(warningMs)})");
            }
            else
            {
                warning = TimeSpan.FromMilliseconds(warningMs);
            }
        }

        var settings = new KubernetesCanarySettings
        {
            Namespace = ns,
            LeaseDuration = lease,
            RenewDeadline = renew,
            RetryPeriod = retry,
            Hold = hold,
            RenewMarginWarning = warning,
            ApiCallTimeout = call,
            Unwind = defaults.Unwind,
            WatchLinger = defaults.WatchLinger,
        };

        // A held probe that outlives the cycle budget would be cut without its numbers, or overlap the next invocation.
        if (probing.CycleBudgetSeconds > 0 && settings.HeldProbeTimeout.TotalSeconds > probing.CycleBudgetSeconds)
        {
            errors.Add($"{where}: CanaryHoldSeconds + ApiCallTimeoutSeconds + {Format(settings.Unwind.TotalSeconds)} must fit in Probing:CycleBudgetSeconds (was {Format(settings.HeldProbeTimeout.TotalSeconds)} > {Format(probing.CycleBudgetSeconds)})");
        }

        return settings;
    }

    private static TimeSpan Seconds(double? value, TimeSpan fallback, string field, string where, List<string> errors)
    {
        if (value is not { } seconds)
        {
            return fallback;
        }

        if (double.IsNaN(seconds) || seconds <= 0 || seconds > 300)
        {
            errors.Add($"{where}: {field} must be > 0 and ≤ 300 (was {Format(seconds)})");
            return fallback;
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static bool IsDnsLabel(string value) =>
        value.Length is > 0 and <= 63
        && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && value[0] != '-' && value[^1] != '-';

    private static X509Certificate2Collection? LoadCaFile(string path, string where, List<string> errors)
    {
        try
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPemFile(path);
            if (collection.Count == 0)
            {
                errors.Add($"{where}: CaFile '{path}' holds no PEM certificate");
                return null;
            }

            return collection;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            errors.Add($"{where}: CaFile '{path}' cannot be read ({(ex is FileNotFoundException or DirectoryNotFoundException ? "no such file" : ex is CryptographicException ? "not a PEM certificate bundle" : "access denied or I/O error")})");
            return null;
        }
    }

    private static string Resolve(string path, string? baseDirectory) =>
        Path.IsPathRooted(path) || string.IsNullOrEmpty(baseDirectory) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
