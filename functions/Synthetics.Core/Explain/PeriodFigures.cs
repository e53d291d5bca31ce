namespace Synthetics.Explain;

/// <summary>Runs of a period: how many, how many failed, and the short probes' successful latency.</summary>
public sealed record PeriodFigures(int Attempts, int Failures, double? P50Ms, double? P90Ms)
{
    public static PeriodFigures Empty { get; } = new(0, 0, null, null);

    public double FailureShare => Attempts == 0 ? 0 : (double)Failures / Attempts;
}
