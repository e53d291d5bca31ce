namespace Synthetics.Benchmarks;

/// <summary>One function execution seen by <see cref="CostObserver"/>: which function, from when to when (real clock), results it stored.</summary>
internal sealed record CostExecution(string Function, DateTimeOffset StartedAt, DateTimeOffset EndedAt, int Results)
{
    public TimeSpan Duration => EndedAt - StartedAt;
}
