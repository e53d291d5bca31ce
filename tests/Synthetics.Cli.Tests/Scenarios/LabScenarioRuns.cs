using Synthetics.Cli.Demo;
using Synthetics.Core.Tests.Support;
using Synthetics.Lab.Scenarios;
using Xunit.Abstractions;

namespace Synthetics.Cli.Tests.Scenarios;

/// <summary>
/// The lab's scenarios played end to end, once each, on accelerated settings: the lab region, three vantage points each
/// running the product's whole pipeline (probe, outbox, Azurite, evaluate, Application Insights to the lab's receiver),
/// exactly as <c>demo</c> runs them. The three play at the same time, so the collection costs the longest of them (about
/// five minutes), and the tests read what each saw.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes through IAsyncLifetime.")]
public sealed class LabScenarioRuns : IAsyncLifetime
{
    /// <summary>Nothing in a scenario may run past this; a run that does is cancelled and summarised as it stands.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);

    /// <summary>Between scenario starts: one probe cycle.</summary>
    private static readonly TimeSpan StartSpacing = TimeSpan.FromSeconds(5);

    private readonly AzuriteFixture _azurite = new();
    private readonly Dictionary<string, (Task<DemoSummary> Run, StringWriter Output)> _runs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _limit = new(Limit);

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        // One process hosts what Azure spreads over three machines and a provider: its first cycles would measure its own
        // start (JIT, a lab generating its certificates) as the targets' latency. A short healthy run warms every path
        // first, and the scenarios start a cycle apart so no lab's start-up lands on another's first cycle.
        await DemoRun.WarmUpAsync(_azurite.ConnectionString, _limit.Token);

        // march-12's window outlasts detection (4 evaluations), so the maintenance is still in progress when the incident opens.
        Start(DemoSettings.Accelerated(LabScenarios.March12, TimeSpan.FromSeconds(125)));
        await Task.Delay(StartSpacing, TimeProvider.System, _limit.Token);
        // Four evaluations of blip: the vantage incident needs two bad ones in a row, and the windows that straddle the
        // blip's start and end see only part of it.
        Start(DemoSettings.Accelerated(LabScenarios.VantageBlip, TimeSpan.FromSeconds(120)));
        await Task.Delay(StartSpacing, TimeProvider.System, _limit.Token);
        Start(DemoSettings.Accelerated(LabScenarios.Healthy, TimeSpan.FromSeconds(60), duration: TimeSpan.FromSeconds(240)));
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
