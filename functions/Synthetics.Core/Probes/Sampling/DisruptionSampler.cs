using Synthetics.Results;
using Synthetics.Targets;

namespace Synthetics.Probes.Sampling;

/// <summary>
/// Samples one target on one series for a period: a sample starts on every tick of the interval whether or not the
/// previous one ended (a stalled sample must not hide the seconds after it), each under the target's timeout, timed by
/// its own <see cref="PhaseClock"/> and classified by <see cref="OutcomeClassifier"/> as every probe's run is. Ticks come
/// from the context's <see cref="TimeProvider"/>. What the samples found becomes one result (<see cref="DisruptionSummary"/>).
/// </summary>
internal sealed class DisruptionSampler
{
    // A sample that ignores its token (a resolver that does not honour cancellation) is abandoned this long after its timeout.
    private static readonly TimeSpan AbandonGrace = TimeSpan.FromMilliseconds(250);

    private const int MaxHealthBodyBytes = 64 * 1024;
    private const int KeptHealthText = 4 * 1024;

    private readonly ProbeContext _run;
    private readonly DisruptionSeries _series;
    private readonly SamplingOptions _settings;
    private readonly Lock _lock = new();
    private readonly Stack<KeptConnection> _idle = new();
    private readonly List<KeptConnection> _all = [];
    private readonly List<Task<DisruptionSample?>> _samples = [];
    private CancellationToken _runToken;

    public DisruptionSampler(ProbeContext run, DisruptionSeries series, SamplingOptions settings)
    {
        _run = run;
        _series = series;
        _settings = settings;
    }

    private Target Target => _run.Target;

    private TimeProvider Time => _run.TimeProvider;

    /// <summary>
    /// How long a run against <paramref name="target"/> samples: the setting, shortened so the last sample's timeout ends
    /// inside the cycle budget, and never less than one interval (one sample).
    /// </summary>
    public static TimeSpan PeriodFor(Target target, SamplingOptions settings, ProbingOptions options)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        var interval = TimeSpan.FromSeconds(settings.IntervalSeconds);
        var period = TimeSpan.FromSeconds(settings.PeriodSeconds);
        var fits = TimeSpan.FromSeconds(options.CycleBudgetSeconds) - target.Timeout;
        return period <= fits ? period : fits > interval ? fits : interval;
    }

    /// <summary>Samples for <paramref name="period"/> and writes the summary into the run's context.</summary>
    public async ValueTask<ProbeObservation> RunAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        _runToken = cancellationToken;
        var interval = TimeSpan.FromSeconds(_settings.IntervalSeconds);
        var start = Time.GetTimestamp();
        if (_run.BudgetEndsAt is { } budgetEnds)
        {
            // Started late in a paced cycle: sample less rather than be cut by the budget.
            var left = Time.GetElapsedTime(start, budgetEnds) - Target.Timeout;
            period = left < period ? (left > interval ? left : interval) : period;
        }

        var count = Math.Max(1, (int)Math.Floor((period.Ticks + 1_000) / (double)interval.Ticks));
        // The samples that ended so far, summarised as the run's result would be, whenever the cycle looks.
        _run.Progress?.Report(context => DisruptionSummary.Write(context, _series, Ended()));
        try
        {
            for (var i = 0; i < count; i++)
            {
                var due = interval * i - Time.GetElapsedTime(start);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, Time, cancellationToken);
                }

                var sample = SampleAsync(cancellationToken);
                lock (_lock)
                {
                    _samples.Add(sample);
                }
            }

            var ended = await Task.WhenAll(Started());
            // Cut while the last samples were in flight: reported as the runner reports any cut run.
            cancellationToken.ThrowIfCancellationRequested();
            return DisruptionSummary.Write(_run, _series, [.. ended.OfType<DisruptionSample>()]);
        }
        catch (OperationCanceledException)
        {
            // Cut (the cycle budget, the host): what ended is still written, for the runner's timeout result to carry.
            var ended = await Task.WhenAll(Started());
            DisruptionSummary.Write(_run, _series, [.. ended.OfType<DisruptionSample>()]);
            throw;
        }
        finally
        {
            lock (_lock)
            {
                foreach (var kept in _all)
                {
                    kept.Exchange.Dispose();
                }
            }
        }
    }

    private Task<DisruptionSample?>[] Started()
    {
        lock (_lock)
        {
            return [.. _samples];
        }
    }

    private DisruptionSample[] Ended()
    {
        lock (_lock)
        {
            return [.. _samples.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result).OfType<DisruptionSample>()];
        }
    }

    /// <summary>One sample under the target's timeout; null when the run was cut before it ended (it measured nothing).</summary>
    private async Task<DisruptionSample?> SampleAsync(CancellationToken runToken)
    {
        // Off the ticking loop at once: a sample's synchronous start (a socket, a handshake's first flight) must not delay the next tick.
        await Task.Yield();
        var sample = new ProbeContext(Target, _run.Vantage, Time, _run.Options) { RecordsCertificate = false };
        var startedAt = Time.GetUtcNow();
        var started = Time.GetTimestamp();
        var timeout = Target.Timeout;
        using var timer = new CancellationTokenSource(timeout, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, runToken);
        var timedOutAt = 0L;
        await using var onTimeout = linked.Token.Register(() => Interlocked.CompareExchange(ref timedOutAt, Time.GetTimestamp(), 0));

        ProbeObservation observation;
        ProbePhase? failedPhase = null;
        try
        {
            observation = await ExchangeAsync(sample, linked.Token).WaitAsync(timeout + AbandonGrace, Time, runToken);
        }
        catch (Exception) when (runToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException || timer.IsCancellationRequested)
        {
            failedPhase = sample.Phases.Current;
            Interlocked.CompareExchange(ref timedOutAt, Time.GetTimestamp(), 0);
            sample.Phases.StopFailed(Volatile.Read(ref timedOutAt));
            observation = OutcomeClassifier.Timeout(timeout, failedPhase, cycleBudget: false);
        }
        catch (Exception ex)
        {
            failedPhase = sample.Phases.Current;
            sample.Phases.StopFailed();
            observation = OutcomeClassifier.Classify(ex, failedPhase);
        }

        var totalMs = observation.Outcome == ProbeOutcome.Timeout && Volatile.Read(ref timedOutAt) is var end && end != 0
            ? Time.GetElapsedTime(started, end).TotalMilliseconds
            : Time.GetElapsedTime(started).TotalMilliseconds;
        var failed = !observation.Outcome.IsSuccess();
        string? auditId = null;
        bool? echoed = null;
        if (failed && sample.Audit.HasRequests)
        {
            sample.Audit.WriteTo(sample);
            auditId = sample.Details.TryGetValue("auditId", out var id) ? id as string : null;
            echoed = sample.Details.TryGetValue("auditIdEchoed", out var e) ? e as bool? : null;
        }

        return new DisruptionSample(
            startedAt,
            failed ? observation.Outcome : ProbeOutcome.Ok,
            failed ? failedPhase : null,
            sample.Phases.ToPhases(),
            totalMs,
            Slow: !failed && totalMs > Target.SlowThreshold.TotalMilliseconds,
            sample.RemoteAddress,
            auditId,
            echoed);
    }

    /// <summary>What one sample does: the connect alone for a TCP port, else a cheap GET on a fresh or kept connection.</summary>
    private async Task<ProbeObservation> ExchangeAsync(ProbeContext sample, CancellationToken cancellationToken)
    {
        if (ConnectOnly(Target))
        {
            using var socket = await NetworkConnector.ConnectAsync(sample, cancellationToken);
            return ProbeObservation.Ok;
        }

        KeptConnection? kept = null;
        HttpExchange exchange;
        if (_series == DisruptionSeries.Reused)
        {
            kept = Take(sample);
            exchange = kept.Exchange;
            exchange.Bind(sample);
            sample.RemoteAddress = kept.RemoteAddress;
        }
        else
        {
            exchange = new HttpExchange(sample, cancellationToken);
        }

        var keep = false;
        try
        {
            var observation = Target.Kind == TargetKind.KubernetesApi
                ? await ReadyzAsync(sample, exchange, cancellationToken)
                : await TargetUrlAsync(sample, exchange, cancellationToken);
            keep = observation.Outcome.IsSuccess();
            return observation;
        }
        finally
        {
            if (kept is null)
            {
                exchange.Dispose();
            }
            else
            {
                Return(kept, sample.RemoteAddress, keep);
            }
        }
    }

    /// <summary>
    /// Whether samples of <paramref name="target"/> are the connect alone: a TCP port, and a control plane without the
    /// kubeconfig that would let TLS be verified against its cluster CA (verification is never skipped).
    /// </summary>
    internal static bool ConnectOnly(Target target) =>
        target.Kind == TargetKind.Tcp || (target.Kind == TargetKind.KubernetesApi && target.Kubernetes is null);

    private static async Task<ProbeObservation> TargetUrlAsync(ProbeContext sample, HttpExchange exchange, CancellationToken cancellationToken)
    {
        var expectation = sample.Target.Http
            ?? throw new InvalidOperationException($"Target '{sample.Target.Name}' has no HTTP expectation.");
        var response = await exchange.GetAsync(
            expectation.Url.PathAndQuery, headers: null, sample.Options.MaxBodyBytes, keepTextBytes: 0, expectation.ExpectBodyContains, cancellationToken);
        if (response.StatusCode != expectation.ExpectStatus)
        {
            return new ProbeObservation(ProbeOutcome.HttpStatus) { StatusCode = response.StatusCode };
        }

        return response.ContainsExpected == false
            ? new ProbeObservation(ProbeOutcome.UnexpectedBody) { StatusCode = response.StatusCode }
            : ProbeObservation.Ok with { StatusCode = response.StatusCode };
    }

    // The cheapest request that crosses the NodeBalancer and reaches the API server: /readyz, with the kubeconfig's token.
    private static async Task<ProbeObservation> ReadyzAsync(ProbeContext sample, HttpExchange exchange, CancellationToken cancellationToken)
    {
        var credentials = sample.Target.Kubernetes!;
        var headers = new List<KeyValuePair<string, string>>(2) { new("Accept", "application/json, text/plain, */*") };
        if (credentials.BearerToken is { } token)
        {
            headers.Add(new("Authorization", $"Bearer {token}"));
        }

        var path = $"{credentials.Server.AbsolutePath.TrimEnd('/')}/readyz";
        var response = await exchange.GetAsync(path, headers, MaxHealthBodyBytes, KeptHealthText, null, cancellationToken, sample.Audit);
        return response.StatusCode switch
        {
            200 => ProbeObservation.Ok with { StatusCode = 200 },
            401 or 403 => new ProbeObservation(ProbeOutcome.Unauthorized) { StatusCode = response.StatusCode },
            _ when HealthCheckParser.FailedChecks(response.Text).Any() => new ProbeObservation(ProbeOutcome.Unhealthy) { StatusCode = response.StatusCode },
            _ => new ProbeObservation(ProbeOutcome.HttpStatus) { StatusCode = response.StatusCode },
        };
    }

    /// <summary>
    /// An idle kept connection, or a new one when every kept connection is busy (a stalled sample still holds its own):
    /// the next sample is not queued behind a stall, and pays the connect it then needs, which its phases show.
    /// </summary>
    private KeptConnection Take(ProbeContext sample)
    {
        lock (_lock)
        {
            if (_idle.TryPop(out var idle))
            {
                return idle;
            }

            // Bounded by the run's token, not the sample's: the connection outlives the sample that opened it.
            var kept = new KeptConnection(new HttpExchange(sample, _runToken));
            _all.Add(kept);
            return kept;
        }
    }

    private void Return(KeptConnection kept, string? remoteAddress, bool reusable)
    {
        lock (_lock)
        {
            kept.RemoteAddress = remoteAddress ?? kept.RemoteAddress;
            if (reusable)
            {
                _idle.Push(kept);
            }
            else
            {
                // A connection that failed a sample is not trusted with the next: it is closed, and the next sample opens one.
                _all.Remove(kept);
                kept.Exchange.Dispose();
            }
        }
    }

    private sealed class KeptConnection(HttpExchange exchange)
    {
        public HttpExchange Exchange { get; } = exchange;

        public string? RemoteAddress { get; set; }
    }
}
