using System.Globalization;
using Synthetics.Alerts;
using Synthetics.Cli.Commands;
using Synthetics.Cli.Output;
using Synthetics.Detection;
using Synthetics.Lab.Scenarios;
using Synthetics.Pipeline;
using Synthetics.Probes;
using Synthetics.Results;

namespace Synthetics.Cli.Demo;

/// <summary>
/// Watches the three vantages' pipelines: prints what an operator would want to see (one line per cycle, each incident
/// event as on-call reads it, the lab's scenario steps) and keeps what the closing summary and the tests need.
/// </summary>
internal sealed class DemoRecorder(RunConsole console)
{
    private readonly Lock _gate = new();
    private readonly List<IncidentEvent> _events = [];
    private readonly List<DateTimeOffset> _evaluations = [];
    private int _cycles;

    public IReadOnlyList<IncidentEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyList<DateTimeOffset> Evaluations
    {
        get
        {
            lock (_gate)
            {
                return [.. _evaluations];
            }
        }
    }

    public int Cycles => Volatile.Read(ref _cycles);

    /// <summary>True when some incident opened and has not resolved yet.</summary>
    public bool AnyOpen
    {
        get
        {
            lock (_gate)
            {
                return _events.Where(e => e.Kind == IncidentEventKind.Opened)
                    .Any(o => !_events.Any(r => r.Kind == IncidentEventKind.Resolved && r.Incident.Id == o.Incident.Id));
            }
        }
    }

    public IPipelineObserver For(string vantage) => new VantageObserver(this, vantage);

    /// <summary>A lab scenario step (fault applied or lifted, status page changed), called on the lab's thread.</summary>
    public void OnScenarioStep(LabScenarioEvent step) =>
        _ = console.WriteAsync($"{DemoSummary.Clock(step.At)} lab        {step.Description}");

    public Task WriteAsync(string text) => console.WriteAsync(text);

    /// <summary>One line per cycle: counts, then the failure that leads (most common target/probe/outcome).</summary>
    internal static string FormatCycle(string vantage, ProbeCycleReport report)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{DemoSummary.Clock(report.StartedAt)} {vantage,-10} {report.Results.Count,2} results, {report.Failed,2} failed");
        var failures = report.Results.Where(r => !r.Success)
            .GroupBy(r => (r.Target, r.Probe, Outcome: r.Outcome.ToContractName()))
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key.Target, StringComparer.Ordinal)
            .ToList();
        line = failures.Count == 0
            ? line
            : $"{line}: {failures[0].Key.Target}/{failures[0].Key.Probe} {failures[0].Key.Outcome}{(failures.Count > 1 ? $" (+{failures.Count - 1} more)" : "")}";
        return report.Stalled ? string.Create(CultureInfo.InvariantCulture, $"{line} [process stalled {report.LongestStall.TotalMilliseconds:0} ms: not judged]") : line;
    }

    private sealed class VantageObserver(DemoRecorder recorder, string vantage) : IPipelineObserver
    {
        public async Task OnProbeCycleAsync(ProbeCycleRun run, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref recorder._cycles);
            await recorder.WriteAsync(FormatCycle(vantage, run.Cycle));
            lock (recorder._gate)
            {
                recorder._events.AddRange(run.OpenedInCycle);
            }

            foreach (var incidentEvent in run.OpenedInCycle)
            {
                // Opened while the cycle ran, by its look at the samples so far.
                await recorder.WriteAsync($"{DemoSummary.Clock(incidentEvent.At)} {vantage,-10} opened {incidentEvent.Incident.Id} from the samples so far, before the cycle ended");
                await recorder.WriteAsync(
                    $"{Environment.NewLine}{IncidentNotice.Subject(incidentEvent)}{Environment.NewLine}{RunCommand.Indent(IncidentNotice.Body(incidentEvent))}{Environment.NewLine}");
            }
        }

        public async Task OnEvaluationAsync(EvaluationRun run, CancellationToken cancellationToken)
        {
            if (run.Report is not { } report)
            {
                await recorder.WriteAsync($"{DemoSummary.Clock(run.At)} evaluate   by {vantage}: failed, the table service answered {run.FailedStatus}");
                return;
            }

            if (report.Skipped)
            {
                // Another vantage's evaluator did this moment: one evaluation stands, one line.
                return;
            }

            lock (recorder._gate)
            {
                recorder._evaluations.Add(report.EvaluatedAt);
                recorder._events.AddRange(report.Events);
            }

            var findings = report.Findings.Count == 0
                ? "all healthy"
                : string.Join("; ", report.Findings.Select(f => $"{f.Key} {f.State.ToString().ToLowerInvariant()}"));
            await recorder.WriteAsync($"{DemoSummary.Clock(report.EvaluatedAt)} evaluate   by {vantage}: {report.ResultsRead} results in the window, {findings}");
            foreach (var incidentEvent in report.Events)
            {
                await recorder.WriteAsync(
                    $"{Environment.NewLine}{IncidentNotice.Subject(incidentEvent)}{Environment.NewLine}{RunCommand.Indent(IncidentNotice.Body(incidentEvent))}{Environment.NewLine}");
            }
        }

        public Task OnRetentionAsync(RetentionRun run, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
