namespace Synthetics.Targets;

/// <summary>
/// A target whose fields are sound but whose credentials or trust cannot be had: a kubeconfig or CA bundle that is
/// missing, unreadable, refused (an <c>exec</c> user, a file outside the allowed directory) or an unresolved Key Vault
/// reference. It stops no start: every other target is probed, and each cycle reports this one as a result of the
/// <see cref="Probe"/> pseudo-probe (outcome <c>error</c>), a <c>SyntheticsTargetNotProbed</c> event and a warning,
/// until the source is fixed and the host starts again (App Service fetches Key Vault references again within 24 hours,
/// or at once when the app's configuration changes, restarting it).
/// </summary>
/// <param name="Name">The target's name, as its results would carry it.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Region">Its region.</param>
/// <param name="Field">The field whose source failed: <c>Kubeconfig</c>, <c>KubeconfigContent</c> or <c>CaFile</c>.</param>
/// <param name="Reason">One line naming the field and what is wrong, never quoting the source: kubeconfigs hold secrets.</param>
/// <param name="Labels">Its labels, carried into its results like a probed target's.</param>
public sealed record UnresolvedTarget(
    string Name, TargetKind Kind, string Region, string Field, string Reason, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>Where the target is set, as messages name it: <c>Synthetics:Targets[2] 'ca-prod-api'</c>.</summary>
    public string Setting { get; init; } = Name;

    /// <summary>The one line that says it: <c>Synthetics:Targets[2] 'ca-prod-api' is not probed: Kubeconfig '…' …</c>.</summary>
    public string Warning => $"{Setting} is not probed: {Reason}";

    /// <summary>The probe name of an unresolved target's results: a configuration problem, never a finding about the target.</summary>
    public const string Probe = "config";

    public override string ToString() => $"{Name} ({Kind}, {Region}): not probed, {Reason}";
}
