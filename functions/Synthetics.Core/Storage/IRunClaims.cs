namespace Synthetics.Storage;

/// <summary>
/// Work several apps race for, done once per slot (a schedule occurrence): the first app to claim a slot does the
/// work, the others skip it (DESIGN §4: "anything several apps race for"). A claim is an insert that fails when the
/// row exists, so exactly one claimant wins however close the apps' clocks and timers are.
/// </summary>
public interface IRunClaims
{
    /// <summary>Claims <paramref name="slot"/> of the run named <paramref name="run"/> for <paramref name="claimant"/>; false when another app holds it.</summary>
    Task<bool> TryClaimAsync(string run, DateTimeOffset slot, string claimant, CancellationToken cancellationToken);

    /// <summary>Deletes the claims of <paramref name="run"/> for slots before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> DeleteBeforeAsync(string run, DateTimeOffset cutoff, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the claims of every run whose name starts with <paramref name="runPrefix"/> (one run per item, such as
    /// <c>maintenance-ahead|&lt;id&gt;</c>) for slots before <paramref name="cutoff"/>; returns how many.
    /// </summary>
    Task<int> DeleteRunsBeforeAsync(string runPrefix, DateTimeOffset cutoff, CancellationToken cancellationToken);
}
