using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;

namespace Synthetics.Targets;

/// <summary>
/// The rules of <c>Synthetics:Targets</c> that one field's attribute cannot state: what each kind requires, unique
/// names, the canary's timings against each other (client-go's rules) and against the cycle budget, and, through
/// <see cref="TargetCatalogFactory"/>, whether the chosen probes exist and apply. A kubeconfig or CA bundle that cannot
/// be read is no start error (the target is reported unresolved every cycle while the others are probed). Every
/// problem is collected, each naming the target and the field:
/// <c>Synthetics:Targets[2] 'ca-web': Url is required for kind Http</c>.
/// </summary>
internal sealed class TargetOptionsValidator(TargetCatalogFactory factory) : IValidateOptions<SyntheticsOptions>
{
    private const string Kinds = "KubernetesApi, Http or Tcp";

    public ValidateOptionsResult Validate(string? name, SyntheticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Targets.Count; i++)
        {
            var entry = options.Targets[i];
            var where = SettingPath.Target(i, entry.Name);
            if (Check(entry, options, where, errors) is { } kind)
            {
                factory.CheckSources(entry, kind, options.BaseDirectory, where, errors);
            }

            if (entry.Name is { Length: > 0 } targetName && !names.Add(targetName))
            {
                errors.Add($"{where}: Name '{targetName}' is used by another target; names must be unique");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Parses <c>Kind</c> as written: a name of <see cref="TargetKind"/> in any case, never a number.</summary>
    public static bool TryParseKind(string? text, out TargetKind kind) =>
        Enum.TryParse(text, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(text, out _);

    /// <summary>Parses an Http target's <c>Url</c>: absolute, http or https.</summary>
    public static bool TryParseUrl(string? text, [NotNullWhen(true)] out Uri? url) =>
        Uri.TryCreate(text, UriKind.Absolute, out url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

    /// <summary>The rules of one target that need no file; its kind when that is known.</summary>
    private static TargetKind? Check(TargetOptions entry, SyntheticsOptions options, string where, List<string> errors)
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
            errors.Add($"{where}: Kind is required ({Kinds})");
            return null;
        }

        if (!TryParseKind(entry.Kind, out var kind))
        {
            errors.Add($"{where}: Kind '{entry.Kind}' is unknown ({Kinds})");
            return null;
        }

        switch (kind)
        {
            case TargetKind.Tcp:
                if (string.IsNullOrWhiteSpace(entry.Host))
                {
                    errors.Add($"{where}: Host is required for kind Tcp");
                }

                // Its range is the attribute's rule.
                if (entry.Port is null)
                {
                    errors.Add($"{where}: Port is required for kind Tcp");
                }

                break;

            case TargetKind.Http:
                if (string.IsNullOrWhiteSpace(entry.Url))
                {
                    errors.Add($"{where}: Url is required for kind Http");
                }
                else if (!TryParseUrl(entry.Url, out _))
                {
                    errors.Add($"{where}: Url '{entry.Url}' is not an absolute http or https URL");
                }

                break;

            case TargetKind.KubernetesApi:
                CheckCanary(entry, options, where, errors);
                if (string.IsNullOrWhiteSpace(entry.Kubeconfig) == string.IsNullOrWhiteSpace(entry.KubeconfigContent))
                {
                    errors.Add($"{where}: Kubeconfig (a file) or KubeconfigContent (the kubeconfig itself), one of them, is required for kind KubernetesApi");
                }

                break;
        }

        return kind;
    }

    /// <summary>The canary's settings as the target will run them (defaults scaled like the settings), against each other.</summary>
    private static void CheckCanary(TargetOptions entry, SyntheticsOptions options, string where, List<string> errors)
    {
        var canary = KubernetesCanarySettings.For(entry, options.TimeScale);
        if (!IsDnsLabel(canary.Namespace))
        {
            errors.Add($"{where}: CanaryNamespace '{canary.Namespace}' is not a valid namespace name (lowercase letters, digits and '-', at most 63)");
        }

        var (lease, renew, retry, call) = (canary.LeaseDuration.TotalSeconds, canary.RenewDeadline.TotalSeconds, canary.RetryPeriod.TotalSeconds, canary.ApiCallTimeout.TotalSeconds);

        // client-go's own rules: a leader must give up before its lease can expire, and have time for more than one attempt
        // (the 1.2 is client-go's JitterFactor).
        if (lease <= renew)
        {
            errors.Add($"{where}: LeaseDurationSeconds must be greater than RenewDeadlineSeconds (was {Format(lease)} ≤ {Format(renew)})");
        }

        if (renew <= 1.2 * retry)
        {
            errors.Add($"{where}: RenewDeadlineSeconds must be greater than 1.2 × RetryPeriodSeconds (was {Format(renew)} ≤ 1.2 × {Format(retry)})");
        }

        if (call > renew)
        {
            errors.Add($"{where}: ApiCallTimeoutSeconds must not exceed RenewDeadlineSeconds (was {Format(call)} > {Format(renew)})");
        }

        if (entry.RenewMarginWarningMs is { } warningMs && !KubernetesCanarySettings.IsMarginWarning(warningMs, canary.RenewDeadline))
        {
            errors.Add($"{where}: RenewMarginWarningMs must be ≥ 0 and less than the renew deadline (was {Format(warningMs)})");
        }

        // A held probe that outlives the cycle budget would be cut without its numbers, or overlap the next invocation.
        var budget = options.Probing.CycleBudgetSeconds;
        if (budget > 0 && canary.HeldProbeTimeout.TotalSeconds > budget)
        {
            errors.Add($"{where}: CanaryHoldSeconds + ApiCallTimeoutSeconds + {Format(canary.Unwind.TotalSeconds)} must fit in Probing:CycleBudgetSeconds (was {Format(canary.HeldProbeTimeout.TotalSeconds)} > {Format(budget)})");
        }
    }

    private static bool IsDnsLabel(string value) =>
        value.Length is > 0 and <= 63
        && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && value[0] != '-' && value[^1] != '-';

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
