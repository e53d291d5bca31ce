using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using Synthetics.Results;
using Synthetics.Targets;

namespace Synthetics.Probes.Kubernetes;

/// <summary>
/// A real leader election, as cert-manager and every client-go controller run it: KubernetesClient's
/// <see cref="LeaderElector"/> over a <c>LeaseLock</c> on the Lease <c>synthetics-&lt;vantage&gt;</c> of the canary
/// namespace, with the target's timings, led for the hold period of the invocation. It measures what such a controller
/// lives through: how long acquiring takes, every renew round trip, failed renewals, and how close each renewal came to
/// the renew deadline. Outcomes: <c>lease_lost</c> when leadership was lost (or never gained because another identity
/// holds the Lease), <c>slow</c> when the smallest margin fell under the warning, failures of the API as classified.
/// </summary>
/// <remarks>
/// <c>details</c>: <c>namespace</c>, <c>lease</c>, <c>leaseDurationSeconds</c>, <c>renewDeadlineSeconds</c>,
/// <c>retryPeriodSeconds</c>, <c>holdSeconds</c>, <c>acquired</c>, <c>acquireMs</c>, <c>renewCount</c>, <c>renewP50Ms</c>,
/// <c>renewP99Ms</c>, <c>renewMaxMs</c>, <c>renewFailures</c>, <c>renewConflicts</c> (409s), <c>leadershipLost</c>,
/// <c>leadershipLostAfterMs</c>, <c>renewMarginMinMs</c>, <c>otherHolder</c>.
/// The elector reads the wall clock and real delays itself; that is the library's business, not this probe's time source.
/// <para>
/// Retries pace as client-go's elector paces them (<c>wait.JitterUntil</c> on the retry period, not the reflector's
/// exponential backoff: the cadence is what the canary measures). KubernetesClient's <see cref="LeaderElector"/> starts an
/// attempt at most once per retry period (after a failed attempt it waits the period; a stalled one is given 1.2 to 2.4
/// periods), an attempt is one read and at most one write, and a failing call is a failed attempt
/// (<see cref="MeasuredLeaseLock"/>), so requests per run against a failing or garbage-answering API server are at most
/// 2 × (⌊hold / retry period⌋ + 1) + 1 (the last: one read naming another holder): with the defaults (40 s, 2 s), 43.
/// 401 and 403 end the run after the first refusal. An answer that is not a Lease is <c>unexpected_body</c>.
/// </para>
/// </remarks>
internal sealed class LeaseCanaryProbe(LeaseCanaryJournal journal) : IProbe
{
    public string Name => "lease-canary";

    public bool AppliesTo(TargetKind kind, TargetEndpoint endpoint) => kind == TargetKind.KubernetesApi;

    public TimeSpan TimeoutFor(Target target) => (target.Canary ?? KubernetesCanarySettings.Default).HeldProbeTimeout;

    // The run lasts the hold by design; slowness is judged from the renew margins.
    public TimeSpan? SlowThresholdFor(Target target) => null;

    public async ValueTask<ProbeObservation> RunAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        var target = context.Target;
        var settings = target.Canary ?? KubernetesCanarySettings.Default;
        var time = context.TimeProvider;
        var leaseName = KubernetesClientFactory.LeaseName(context.Vantage);
        context.SetDetail("namespace", settings.Namespace);
        context.SetDetail("lease", leaseName);
        context.SetDetail("leaseDurationSeconds", settings.LeaseDuration.TotalSeconds);
        context.SetDetail("renewDeadlineSeconds", settings.RenewDeadline.TotalSeconds);
        context.SetDetail("retryPeriodSeconds", settings.RetryPeriod.TotalSeconds);
        context.SetDetail("holdSeconds", settings.Hold.TotalSeconds);

        // One client for the whole hold: a controller keeps its connection, and so does the canary.
        using var client = KubernetesClientFactory.Create(target, context.UserAgent, settings.ApiCallTimeout, () => context.Audit);
        // The holder identity is the vantage point: the next invocation finds its own record and renews at once.
        var recorder = new LeaseCanaryRecorder(time, context.Vantage, settings.RenewDeadline);
        var refused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var leaseLock = new MeasuredLeaseLock(client, settings.Namespace, leaseName, recorder,
            lease => journal.Add(target.Name, leaseName, lease.Metadata?.ResourceVersion, time.GetTimestamp()),
            () => refused.TrySetResult());
        using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = settings.LeaseDuration,
            RenewDeadline = settings.RenewDeadline,
            RetryPeriod = settings.RetryPeriod,
        });
        elector.OnStartedLeading += recorder.StartedLeading;
        elector.OnStoppedLeading += recorder.StoppedLeading;

        // Cancelling this token is the only way to stop the elector's renew loop, which otherwise runs on after a loss.
        using var election = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var holdTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = Task.Run(() => elector.RunUntilLeadershipLostAsync(election.Token), CancellationToken.None);
        var hold = Task.Delay(settings.Hold, time, holdTimer.Token);
        Exception? escaped = null;
        try
        {
            await Task.WhenAny(run, hold, refused.Task);
            if (run.IsCompleted)
            {
                // Errors during the first acquire escape without OnStoppedLeading; after that the task ends on a loss.
                escaped = run.Exception?.GetBaseException();
            }
        }
        finally
        {
            recorder.Stopping();
            await holdTimer.CancelAsync();
            await election.CancelAsync();
            try
            {
                await run;
            }
            catch (Exception ex) when (ex is OperationCanceledException || escaped is not null)
            {
                // Our own stop, or the escaped error already taken above.
            }
            catch (Exception ex)
            {
                escaped ??= ex;
            }
        }

        // Leadership lost to someone else: one bounded read names them, whether or not the elector read again before giving up.
        if (recorder.LeadershipLost && recorder.OtherHolder is null && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(leaseName, settings.Namespace, cancellationToken: cancellationToken);
                recorder.ReadCompleted(lease.Spec?.HolderIdentity);
            }
            catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException or UnexpectedAnswerException
                                           or CertificateRejectedException or System.Text.Json.JsonException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // The API failing here is already in the renew failures; the holder stays unknown.
            }
        }

        // Numbers first: a run cut by its timeout or the cycle budget still reports what it measured.
        Report(context, recorder);
        cancellationToken.ThrowIfCancellationRequested();
        return Judge(recorder, settings, escaped);
    }

    private static void Report(ProbeContext context, LeaseCanaryRecorder recorder)
    {
        var renewals = recorder.RenewRoundTripsMs;
        context.SetDetail("acquired", recorder.AcquireMs is not null);
        if (recorder.AcquireMs is { } acquireMs)
        {
            context.SetDetail("acquireMs", LatencySummary.Round(acquireMs));
        }

        context.SetDetail("renewCount", renewals.Count);
        if (renewals.Count > 0)
        {
            context.SetDetail("renewP50Ms", LatencySummary.Round(LatencySummary.Percentile(renewals, 50)));
            context.SetDetail("renewP99Ms", LatencySummary.Round(LatencySummary.Percentile(renewals, 99)));
            context.SetDetail("renewMaxMs", LatencySummary.Round(renewals.Max()));
        }

        context.SetDetail("renewFailures", recorder.RenewFailures);
        context.SetDetail("renewConflicts", recorder.Conflicts);
        context.SetDetail("leadershipLost", recorder.LeadershipLost);
        if (recorder.LeadershipLostAfterMs is { } lostAfter)
        {
            context.SetDetail("leadershipLostAfterMs", LatencySummary.Round(lostAfter));
        }

        if (recorder.MinMarginMs is { } margin)
        {
            context.SetDetail("renewMarginMinMs", LatencySummary.Round(Math.Max(0, margin)));
        }

        if (recorder.OtherHolder is { } other)
        {
            context.SetDetail("otherHolder", other);
        }
    }

    private static ProbeObservation Judge(LeaseCanaryRecorder recorder, KubernetesCanarySettings settings, Exception? escaped)
    {
        if (recorder.LeadershipLost)
        {
            var why = recorder.OtherHolder is { } other
                ? $"'{other}' holds the Lease"
                : $"no renewal completed within the {settings.RenewDeadline.TotalSeconds:0.###} s renew deadline";
            return new(ProbeOutcome.LeaseLost) { Message = $"leadership lost after {recorder.LeadershipLostAfterMs:0} ms: {why}" };
        }

        if (recorder.AcquireMs is null)
        {
            if (escaped is HttpOperationException http)
            {
                return ApiFailure.From(http, "the canary Lease");
            }

            if (escaped is not null)
            {
                return OutcomeClassifier.Classify(escaped, phase: null);
            }

            if (recorder.OtherHolder is { } holder)
            {
                return new(ProbeOutcome.LeaseLost)
                {
                    Message = $"never acquired in {settings.Hold.TotalSeconds:0.###} s: '{holder}' holds the Lease and renews it",
                };
            }

            return recorder.LastError switch
            {
                HttpOperationException refused when refused.InnerException is null => ApiFailure.From(refused, "the canary Lease"),
                OperationCanceledException or TimeoutException => new(ProbeOutcome.Timeout)
                {
                    Message = $"the Lease was not acquired: API calls got no answer within {settings.ApiCallTimeout.TotalSeconds:0.###} s",
                },
                { } error => OutcomeClassifier.Classify(error, phase: null),
                null => new(ProbeOutcome.Timeout) { Message = $"the Lease was not acquired within the {settings.Hold.TotalSeconds:0.###} s hold" },
            };
        }

        var warning = settings.EffectiveRenewMarginWarning;
        if (recorder.MinMarginMs is { } margin && margin < warning.TotalMilliseconds)
        {
            return new(ProbeOutcome.Slow)
            {
                Message = $"a renewal left {Math.Max(0, margin):0} ms of the {settings.RenewDeadline.TotalSeconds:0.###} s renew deadline, under the {warning.TotalMilliseconds:0} ms warning",
            };
        }

        return ProbeObservation.Ok;
    }
}
