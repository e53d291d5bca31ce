using System.Collections.Concurrent;
using Synthetics.Pipeline;

namespace Synthetics.Benchmarks;

/// <summary>
/// One vantage's function executions as <see cref="CostBenchmark"/> counts them: each run of each cycle (what a timer
/// trigger would execute), when it started and when it ended, on the real clock.
/// </summary>
internal sealed class CostObserver(string vantage, TimeProvider time) : IPipelineObserver
{
    private readonly ConcurrentQueue<CostExecution> _executions = new();
    private readonly ConcurrentDictionary<string, int> _probes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _targets = new(StringComparer.Ordinal);

    public string Vantage { get; } = vantage;

    public IReadOnlyList<CostExecution> Executions => [.. _executions];

    /// <summary>Probe results by "target/probe outcome", every cycle.</summary>
    public IReadOnlyDictionary<string, int> Probes => _probes;

    /// <summary>The targets the cycles probed.</summary>
    public IReadOnlyCollection<string> Targets => [.. _targets.Keys];

    public Task OnProbeCycleAsync(ProbeCycleRun run, CancellationToken cancellationToken)
    {
        foreach (var result in run.Cycle.Results)
        {
            _targets.TryAdd(result.Target, 0);
            _probes.AddOrUpdate($"{result.Target}/{result.Probe} {result.Outcome.ToString().ToLowerInvariant()}", 1, (_, n) => n + 1);
        }

        return Add("ProbeCycle", run.Cycle.StartedAt, run.Cycle.Results.Count);
    }

    public Task OnEvaluationAsync(EvaluationRun run, CancellationToken cancellationToken) => Add("Evaluate", run.At, 0);

    public Task OnRetentionAsync(RetentionRun run, CancellationToken cancellationToken) => Add("Retention", run.At, 0);

    public Task OnDiscoveryAsync(DiscoveryRun run, CancellationToken cancellationToken) => Add("Discover", run.At, 0);

    public Task OnMaintenanceAsync(MaintenanceRun run, CancellationToken cancellationToken) => Add("Maintenance", run.At, 0);

    private Task Add(string function, DateTimeOffset startedAt, int results)
    {
        _executions.Enqueue(new CostExecution(function, startedAt, time.GetUtcNow(), results));
        return Task.CompletedTask;
    }
}
