using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;
using Synthetics.Results;
using Synthetics.Targets;

namespace Synthetics.Probes;

/// <summary>
/// Runs every probe of every target once, starts paced at <see cref="ProbingOptions.MaxStartsPerSecond"/> and at most
/// <see cref="ProbingOptions.MaxConcurrency"/> at a time, each under a
/// hard timeout, the whole under a cycle budget. Every planned probe yields a result: a target failure is an outcome,
/// a timeout is an outcome, a probe still queued when the budget runs out is reported as not run, a target whose
/// kubeconfig or CA bundle could not be had is reported as not probed. Only the host's own
/// cancellation ends the cycle without results for the probes it interrupted: those measured nothing.
/// </summary>
public sealed partial class ProbeCycleRunner
{
    // A probe that ignores its token (a resolver that does not honour cancellation) is abandoned this long after its timeout.
    private static readonly TimeSpan AbandonGrace = TimeSpan.FromMilliseconds(250);

    // 0 until this runner's first cycle: the process's cold start.
    private int _cyclesRun;

    // 0 until the warm-up before the first cycle started.
    private int _warmedUp;

    private readonly IReadOnlyList<IProbe> _probes;
    private readonly TimeProvider _timeProvider;
    private readonly SyntheticsOptions _options;
    private readonly ILogger<ProbeCycleRunner> _logger;

    // Kubeconfig warnings are said once per loaded kubeconfig, not once a minute.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<KubernetesCredentials, object> _warned = [];

    public ProbeCycleRunner(
        IEnumerable<IProbe> probes, TimeProvider timeProvider, IOptions<SyntheticsOptions> options, ILogger<ProbeCycleRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _probes = [.. probes];
        _timeProvider = timeProvider;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>
    /// Runs one cycle over the <paramref name="catalog"/>: its targets probed, and a <see cref="UnresolvedTarget.Probe"/>
    /// result for each target it could not resolve, so a target whose kubeconfig is gone is reported, never silent.
    /// </summary>
    public Task<ProbeCycleReport> RunAsync(TargetCatalog catalog, CancellationToken cancellationToken) =>
        RunAsync(catalog, progress: null, cancellationToken);

    /// <summary>
    /// Runs one cycle over the <paramref name="catalog"/>, its runs in progress readable from <paramref name="progress"/>
    /// while it goes (the disruption sampler's samples so far).
    /// </summary>
    public Task<ProbeCycleReport> RunAsync(TargetCatalog catalog, CycleProgress? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return RunAsync(catalog.Targets, catalog.Unresolved, progress, cancellationToken);
    }

    /// <summary>Runs one cycle over <paramref name="targets"/>.</summary>
    public Task<ProbeCycleReport> RunAsync(IReadOnlyList<Target> targets, CancellationToken cancellationToken) =>
        RunAsync(targets, [], progress: null, cancellationToken);

    private async Task<ProbeCycleReport> RunAsync(
        IReadOnlyList<Target> targets, IReadOnlyList<UnresolvedTarget> unresolved, CycleProgress? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (_options.Probing.WarmUp && Interlocked.Exchange(ref _warmedUp, 1) == 0)
        {
            await WarmUpAsync(cancellationToken);
        }

        var startedAt = _timeProvider.GetUtcNow();
        var started = _timeProvider.GetTimestamp();
        var probing = _options.Probing;
        await using var stalls = StallWatch.Start(_timeProvider, TimeSpan.FromMilliseconds(probing.StallThresholdMs));
        if (progress is not null)
        {
            progress.ColdStart = Volatile.Read(ref _cyclesRun) == 0;
            progress.Stalls = stalls;
        }

        ReportKubeconfigWarnings(targets);
        var jobs = (from target in targets
                    from probe in _probes
                    where target.Probes.Contains(probe.Name) && probe.IsEnabled(probing)
                    select (target, probe)).ToList();

        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(probing.CycleBudgetSeconds), _timeProvider);
        using var cycle = CancellationTokenSource.CreateLinkedTokenSource(budget.Token, cancellationToken);
        using var gate = new SemaphoreSlim(probing.MaxConcurrency);

        var budgetEndsAt = started + (long)(probing.CycleBudgetSeconds * _timeProvider.TimestampFrequency);
        var interval = probing.MaxStartsPerSecond > 0 ? TimeSpan.FromSeconds(1 / probing.MaxStartsPerSecond) : TimeSpan.Zero;
        // Each probe on the thread pool: a caller's synchronization context must not serialise the measurements.
        var tasks = jobs.Select((job, index) => Task.Run(() =>
            RunGatedAsync(job.target, job.probe, interval * index, gate, budgetEndsAt, progress, budget.Token, cycle.Token, cancellationToken))).ToArray();
        var results = await Task.WhenAll(tasks);
        await stalls.DisposeAsync();

        var report = new ProbeCycleReport(
            startedAt,
            _timeProvider.GetElapsedTime(started),
            [.. results.OfType<ProbeResult>(), .. unresolved.Select(target => NotProbed(target, startedAt))],
            jobs.Count + unresolved.Count,
            cancellationToken.IsCancellationRequested)
        {
            ColdStart = Interlocked.Exchange(ref _cyclesRun, 1) == 0,
            LongestStall = stalls.Longest,
            Stalled = stalls.Stalled,
        };
        if (report.Stalled)
        {
            LogStalled(_logger, _options.VantagePoint, stalls.Longest.TotalMilliseconds, stalls.LongestAt, probing.StallThresholdMs);
        }

        LogCycle(_logger, _options.VantagePoint, report.Results.Count, report.Planned, report.Failed, report.Duration.TotalMilliseconds);
        return report;
    }

    private async Task<ProbeResult?> RunGatedAsync(
        Target target, IProbe probe, TimeSpan startOffset, SemaphoreSlim gate, long budgetEndsAt, CycleProgress? progress,
        CancellationToken budget, CancellationToken cycle, CancellationToken host)
    {
        var gated = probe.TakesConcurrencySlot;
        try
        {
            if (startOffset > TimeSpan.Zero)
            {
                await Task.Delay(startOffset, _timeProvider, cycle);
            }

            if (gated)
            {
                await gate.WaitAsync(cycle);
            }
        }
        catch (OperationCanceledException) when (!host.IsCancellationRequested)
        {
            return NotRun(target, probe, "not run: the cycle budget ran out while it was queued");
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        try
        {
            // The gate can open in the same instant the budget runs out: such a probe never started.
            if (budget.IsCancellationRequested && !host.IsCancellationRequested)
            {
                return NotRun(target, probe, "not run: the cycle budget ran out while it was queued");
            }

            return await RunOneAsync(target, probe, budget, host, budgetEndsAt, progress);
        }
        finally
        {
            if (gated)
            {
                gate.Release();
            }
        }
    }

    /// <summary>Runs one probe under its timeout and turns whatever happens into a result (null only on host cancellation).</summary>
    internal async Task<ProbeResult?> RunOneAsync(
        Target target, IProbe probe, CancellationToken budget, CancellationToken host, long? budgetEndsAt = null, CycleProgress? progress = null)
    {
        var timestamp = _timeProvider.GetUtcNow();
        var started = _timeProvider.GetTimestamp();
        var running = progress?.Start(summary => SoFar(target, probe, timestamp, started, summary));
        try
        {
            var context = new ProbeContext(target, _options.VantagePoint, _timeProvider, _options.Probing) { BudgetEndsAt = budgetEndsAt, Progress = running };
            return await RunOneAsync(target, probe, context, timestamp, started, budget, host);
        }
        finally
        {
            if (running is not null)
            {
                progress!.End(running);
            }
        }
    }

    private async Task<ProbeResult?> RunOneAsync(
        Target target, IProbe probe, ProbeContext context, DateTimeOffset timestamp, long started, CancellationToken budget, CancellationToken host)
    {
        var limit = probe.TimeoutFor(target, _options.Probing);
        using var timeout = new CancellationTokenSource(limit, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, budget, host);

        // When the timeout fires, that instant is the probe's end: unwinding the cancelled I/O takes longer under load,
        // and that time belongs to this machine, not to the target.
        var timedOutAt = 0L;
        await using var onTimeout = linked.Token.Register(() => Interlocked.CompareExchange(ref timedOutAt, _timeProvider.GetTimestamp(), 0));

        ProbeObservation observation;
        try
        {
            var run = probe.RunAsync(context, linked.Token).AsTask();
            observation = await run.WaitAsync(limit + AbandonGrace, _timeProvider, host);
        }
        catch (OperationCanceledException) when (host.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException
                                   || timeout.IsCancellationRequested || budget.IsCancellationRequested)
        {
            var phase = context.Phases.Current;
            // A probe abandoned without its token having fired ends now.
            Interlocked.CompareExchange(ref timedOutAt, _timeProvider.GetTimestamp(), 0);
            context.Phases.StopFailed(Volatile.Read(ref timedOutAt));
            observation = OutcomeClassifier.Timeout(limit, phase, cycleBudget: !timeout.IsCancellationRequested && budget.IsCancellationRequested);
        }
        catch (Exception ex)
        {
            var phase = context.Phases.Current;
            context.Phases.StopFailed();
            observation = OutcomeClassifier.Classify(ex, phase);
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var outcome = observation.Outcome.ToContractName();
                var exceptionType = ex.GetType().Name;
                LogProbeFailed(_logger, target.Name, probe.Name, outcome, exceptionType);
            }
        }

        if (!observation.Outcome.IsSuccess())
        {
            // Where a request to a Kubernetes API failed: its Audit-ID, and whether the API server itself answered.
            context.Audit.WriteTo(context);
        }

        var durationMs = observation.Outcome == ProbeOutcome.Timeout && Volatile.Read(ref timedOutAt) is var end && end != 0
            ? _timeProvider.GetElapsedTime(started, end).TotalMilliseconds
            : _timeProvider.GetElapsedTime(started).TotalMilliseconds;
        if (observation.Outcome == ProbeOutcome.Ok && probe.SlowThresholdFor(target) is { } slow && durationMs > slow.TotalMilliseconds)
        {
            observation = observation with
            {
                Outcome = ProbeOutcome.Slow,
                Message = $"took {durationMs:0} ms, over the {slow.TotalMilliseconds:0} ms threshold",
            };
        }

        return Result(target, probe, timestamp, durationMs, context, observation, WithLabels(context.Details, target));
    }

    /// <summary>
    /// A run in progress as a result: what <paramref name="summary"/> makes of its measurements so far, under the keys its
    /// final result will have, marked <see cref="CycleProgress.PartialDetail"/>. Null when nothing has ended yet.
    /// </summary>
    private ProbeResult? SoFar(Target target, IProbe probe, DateTimeOffset timestamp, long started, Func<ProbeContext, ProbeObservation> summary)
    {
        var context = new ProbeContext(target, _options.VantagePoint, _timeProvider, _options.Probing);
        var observation = summary(context);
        if (context.Details.TryGetValue("attempts", out var attempts) && attempts is 0)
        {
            return null;
        }

        var details = WithLabels(context.Details, target);
        details[CycleProgress.PartialDetail] = true;
        return Result(target, probe, timestamp, _timeProvider.GetElapsedTime(started).TotalMilliseconds, context, observation, details);
    }

    private ProbeResult Result(
        Target target, IProbe probe, DateTimeOffset timestamp, double durationMs, ProbeContext context, ProbeObservation observation, Dictionary<string, object> details) => new()
    {
        Timestamp = timestamp,
        Vantage = _options.VantagePoint,
        Target = target.Name,
        TargetKind = target.Kind.ToString(),
        Probe = probe.Name,
        Region = target.Region,
        Outcome = observation.Outcome,
        DurationMs = durationMs,
        Phases = context.Phases.ToPhases(),
        StatusCode = observation.StatusCode,
        RemoteAddress = context.RemoteAddress,
        Message = observation.Message,
        Details = details,
    };

    /// <summary>The probes run once against a loopback server before the first measurement (<see cref="ProbeWarmUp"/>).</summary>
    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        try
        {
            await ProbeWarmUp.RunAsync(_probes, (target, probe, token) => RunOneAsync(target, probe, token, cancellationToken), cancellationToken);
            var durationMs = _timeProvider.GetElapsedTime(started).TotalMilliseconds;
            LogWarmedUp(_logger, durationMs);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            // The first cycle is then cold, and marked so; it is measured all the same.
            var exceptionType = ex.GetType().Name;
            LogWarmUpFailed(_logger, exceptionType);
        }
    }

    private void ReportKubeconfigWarnings(IReadOnlyList<Target> targets)
    {
        foreach (var target in targets)
        {
            if (target.Kubernetes is { Warnings.Count: > 0 } credentials && _warned.TryAdd(credentials, credentials))
            {
                foreach (var warning in credentials.Warnings)
                {
                    LogKubeconfigWarning(_logger, target.Name, warning);
                }
            }
        }
    }

    private ProbeResult NotRun(Target target, IProbe probe, string message) => Unmeasured(
        target.Name, target.Kind, target.Region, probe.Name, _timeProvider.GetUtcNow(), message, new Dictionary<string, object> { ["notRun"] = true });

    /// <summary>The result that reports an unresolved target: what is wrong with its configuration, measured nothing.</summary>
    private ProbeResult NotProbed(UnresolvedTarget target, DateTimeOffset cycleStart) => Unmeasured(
        target.Name, target.Kind, target.Region, UnresolvedTarget.Probe, cycleStart, $"not probed: {target.Reason}",
        WithLabels(new Dictionary<string, object> { ["unresolved"] = true, ["field"] = target.Field }, target.Labels));

    /// <summary>A result that measured nothing: outcome <c>error</c>, no duration, the message says why.</summary>
    private ProbeResult Unmeasured(
        string target, TargetKind kind, string region, string probe, DateTimeOffset at, string message, Dictionary<string, object> details) => new()
    {
        Timestamp = at,
        Vantage = _options.VantagePoint,
        Target = target,
        TargetKind = kind.ToString(),
        Probe = probe,
        Region = region,
        Outcome = ProbeOutcome.Error,
        DurationMs = 0,
        Message = message,
        Details = details,
    };

    private static Dictionary<string, object> WithLabels(IReadOnlyDictionary<string, object> details, Target target) =>
        WithLabels(details, target.Labels);

    private static Dictionary<string, object> WithLabels(IReadOnlyDictionary<string, object> details, IReadOnlyDictionary<string, string> labels)
    {
        var merged = new Dictionary<string, object>(details, StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            merged.TryAdd($"label.{key}", value);
        }

        return merged;
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information,
        Message = "Probe cycle at {Vantage}: {Completed} of {Planned} probes reported, {Failed} failed, in {DurationMs:0} ms")]
    private static partial void LogCycle(ILogger logger, string vantage, int completed, int planned, int failed, double durationMs);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug,
        Message = "Probe {Probe} of {Target}: {Outcome} ({ExceptionType})")]
    private static partial void LogProbeFailed(ILogger logger, string target, string probe, string outcome, string exceptionType);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Probes warmed up on loopback in {DurationMs:0} ms, before the first cycle")]
    private static partial void LogWarmedUp(ILogger logger, double durationMs);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Probe warm-up failed ({ExceptionType}); the first cycle measures a cold process")]
    private static partial void LogWarmUpFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning,
        Message = "Probe cycle at {Vantage}: this process went unscheduled for {StallMs:0} ms (at {At:HH:mm:ss.fff}), beyond {ThresholdMs:0} ms; the cycle is stored but not judged")]
    private static partial void LogStalled(ILogger logger, string vantage, double stallMs, DateTimeOffset? at, double thresholdMs);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Target {Target}: {Warning}")]
    private static partial void LogKubeconfigWarning(ILogger logger, string target, string warning);
}
