using Synthetics.Results;

namespace Synthetics.Probes;

/// <summary>What a probe reports back to the runner, which adds identity, timing and phases to make a result.</summary>
public sealed record ProbeObservation(ProbeOutcome Outcome)
{
    public int? StatusCode { get; init; }

    public string? Message { get; init; }

    public static ProbeObservation Ok { get; } = new(ProbeOutcome.Ok);
}
