using Synthetics.Cli.Demo;
using Synthetics.Core.Tests.Support;
using Synthetics.Lab.Scenarios;
using Xunit.Abstractions;

namespace Synthetics.Cli.Tests.Scenarios;

/// <summary>
/// The lab's scenarios played end to end, once each: the lab region, three vantage points each a generic host running
/// the Function App's cycles (probe, outbox, Azurite, evaluate, retention, Application Insights to the lab's receiver)
/// on their schedules, exactly as <c>demo</c> runs them, on the shipped defaults and the scenarios' own timings, all
/// <see cref="TimeScale"/> times faster. The three play at the same time, so the collection costs the longest of them
/// (march-12, about three and a half minutes), and the tests read what each saw.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes through IAsyncLifetime.")]
public sealed class LabScenarioRuns : IAsyncLifetime
{
    /// <summary>Nothing in a scenario may run past this; a run that does is cancelled and summarised as it stands.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);

    /// <summary>
    /// The one factor on every duration of the product and the lab. 5 (a minute in 12 s) keeps the canary's Lease a
    /// whole number of seconds and leaves the 2-core test process room: every vantage probes at the same instants.
    /// </summary>
    internal const double TimeScale = 5;

    /// <summary>Between scenario starts: no lab's start-up lands on another's first cycle.</summary>
    private static readonly TimeSpan StartSpacing = TimeSpan.FromSeconds(5);

    /// <summary>healthy runs ten of the product's minutes: ten evaluations.</summary>
    private static readonly TimeSpan HealthyDuration = TimeSpan.FromMinutes(10) / TimeScale;

    private readonly AzuriteFixture _azurite = new();
    private readonly Dictionary<string, (Task<DemoSummary> Run, StringWriter Output)> _runs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _limit = new(Limit);

    /// <summary>Where march-12 writes its evidence reports.</summary>
    internal string EvidenceDirectory { get; } = Directory.CreateTempSubdirectory("synthetics-scenario-evidence-").FullName;

    /// <summary>The table service every scenario stores in (each under its own table prefix).</summary>
    internal string StorageConnectionString => _azurite.ConnectionString;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        // One process hosts what Azure spreads over three machines and a provider: its first cycles would measure its own
        // start (JIT, a lab generating its certificates) as the targets' latency. A short healthy run warms every path
        // first, and the scenarios start a cycle apart so no lab's start-up lands on another's first cycle.
        await DemoRun.WarmUpAsync(_azurite.ConnectionString, TimeScale, _limit.Token);

        // Each scenario's own fault window (march-12 10 minutes, vantage-blip 3), scaled like everything else.
        // march-12 writes the evidence report of its incident, as demo does: the tests read it against the store.
        Start(DemoSettings.For(LabScenarios.March12, TimeScale) with { EvidenceDirectory = EvidenceDirectory });
        await Task.Delay(StartSpacing, TimeProvider.System, _limit.Token);
        Start(DemoSettings.For(LabScenarios.VantageBlip, TimeScale));
        await Task.Delay(StartSpacing, TimeProvider.System, _limit.Token);
        Start(DemoSettings.For(LabScenarios.Healthy, TimeScale) with { Duration = HealthyDuration });
    }

    private void Start(DemoSettings settings)
    {
        var output = new StringWriter();
        var run = Task.Run(() => DemoRun.RunAsync(settings, _azurite.ConnectionString, TextWriter.Synchronized(output), TextWriter.Synchronized(output), _limit.Token));
        _runs.Add(settings.Scenario, (run, output));
    }

    /// <summary>
    /// What <paramref name="scenario"/> saw, once it has ended; its transcript (what a person running <c>demo</c> would
    /// have read) goes to <paramref name="output"/>, where a failing test shows it.
    /// </summary>
    internal async Task<DemoSummary> SummaryOf(string scenario, ITestOutputHelper output)
    {
        var (run, transcript) = _runs[scenario];
        try
        {
            return await run;
        }
        finally
        {
            output.WriteLine(transcript.ToString());
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Task.WhenAll(_runs.Values.Select(r => r.Run));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Each test has already reported its own run's failure.
        }
        finally
        {
            _limit.Dispose();
            await _azurite.DisposeAsync();
            Directory.Delete(EvidenceDirectory, recursive: true);
        }
    }
}

/// <summary>The scenarios run alone, after every other test class: timing tests are not measured beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LabScenarioGroup : ICollectionFixture<LabScenarioRuns>
{
    public const string Name = "lab scenarios";

    /// <summary>
    /// Trait of the scenario tests, to run them alone: <c>bash tests/run.sh --filter "Category=LabScenario"</c>.
    /// </summary>
    public const string Category = "LabScenario";
}
