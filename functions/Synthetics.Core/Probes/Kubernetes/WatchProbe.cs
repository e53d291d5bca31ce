using k8s;
using k8s.Autorest;
using Synthetics.Results;
using Synthetics.Targets;

namespace Synthetics.Probes.Kubernetes;

/// <summary>
/// A watch on the canary namespace held open for the invocation, the way an informer holds it: list, then watch from the
/// list's resourceVersion, and reconnect from the last event when the stream ends early. The canary's renewals in the
/// same cycle are the events it must see (<see cref="LeaseCanaryJournal"/>). Outcome <c>watch_dropped</c> when the
/// stream was cut before its time or an expected event never arrived.
/// </summary>
/// <remarks>
/// <para>
/// Requests per run against a failing API server are bounded: one list, then watch connections paced by
/// <see cref="ReconnectBackoff"/> (client-go's reflector backoff: 800 ms doubling to 30 s, jittered up to ×2), so at most
/// 1 + <see cref="ReconnectBackoff.MaxConnections"/>(hold + 1 s) requests: with the default 40 s hold, 1 list + 6 watches
/// = 7 requests (the pauses before the 2nd…6th watch add up to at least 24.8 s; a 7th would need 50.4 s). An answer that
/// is not a Kubernetes watch (HTML, garbage lines, a wrong content type) makes the outcome <c>unexpected_body</c>.
/// </para>
/// <c>details</c>: <c>namespace</c>, <c>holdSeconds</c>, <c>listMs</c>, <c>timeToFirstEventMs</c>, <c>eventsExpected</c>,
/// <c>eventsSeen</c> (expected ones that arrived), <c>eventsMissed</c>, <c>eventsTotal</c>, <c>unexpectedDisconnects</c>,
/// <c>connections</c>, <c>watchRequests</c>, <c>connectionLifetimeMs</c> (first connection), <c>connectionLifetimeMinMs</c>.
/// </remarks>
internal sealed class WatchProbe(LeaseCanaryJournal journal) : IProbe
{

    public string Name => "watch";

    /// <summary>The jitter of <see cref="ReconnectBackoff"/> (random by default); tests fix it.</summary>
    internal Func<double>? Jitter { get; init; }

    public bool AppliesTo(TargetKind kind, TargetEndpoint endpoint) => kind == TargetKind.KubernetesApi;

    public TimeSpan TimeoutFor(Target target)
    {
        // The watch stays open a little longer than the canary leads, so the canary's last renewal can still arrive.
        var settings = target.Canary ?? KubernetesCanarySettings.Default;
        return settings.HeldProbeTimeout + settings.WatchLinger;
    }

    // The run lasts the hold by design.
    public TimeSpan? SlowThresholdFor(Target target) => null;

    public async ValueTask<ProbeObservation> RunAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        var target = context.Target;
        var settings = target.Canary ?? KubernetesCanarySettings.Default;
        var time = context.TimeProvider;
        var leaseName = KubernetesClientFactory.LeaseName(context.Vantage);
        context.SetDetail("namespace", settings.Namespace);
        context.SetDetail("holdSeconds", settings.Hold.TotalSeconds);

        // On the injected clock, like every pause of this probe.
        using var hold = new CancellationTokenSource(settings.Hold + settings.WatchLinger, time);
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, hold.Token);
        // An informer does not hammer a server that just cut it: client-go's backoff between reconnects.
        var backoff = new ReconnectBackoff(Jitter);
        using var client = KubernetesClientFactory.Create(target, context.UserAgent, settings.ApiCallTimeout, () => context.Audit);

        var listStarted = time.GetTimestamp();
        string? resourceVersion;
        string? listVersion;
        try
        {
            var list = await client.CoordinationV1.ListNamespacedLeaseAsync(settings.Namespace, cancellationToken: cancellationToken);
            resourceVersion = list.Metadata?.ResourceVersion;
            listVersion = resourceVersion;
        }
        catch (HttpOperationException ex)
        {
            return ApiFailure.From(ex, $"list leases in '{settings.Namespace}'");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ApiFailure.CallTimedOut(settings.ApiCallTimeout, $"list leases in '{settings.Namespace}'");
        }

        var listedAt = time.GetTimestamp();
        context.SetDetail("listMs", LatencySummary.Round(time.GetElapsedTime(listStarted, listedAt).TotalMilliseconds));

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lifetimes = new List<double>();
        var eventsTotal = 0;
        var disconnects = 0;
        var watchRequests = 0;
        double? firstEventMs = null;
        ProbeObservation? refused = null;
        ProbeObservation? garbage = null;
        while (!window.IsCancellationRequested && refused is null)
        {
            var opened = time.GetTimestamp();
            var unexpected = false;
            var eventsBefore = eventsTotal;
            watchRequests++;
            try
            {
                var remaining = Math.Max(1, (int)Math.Ceiling((settings.Hold + settings.WatchLinger - time.GetElapsedTime(listStarted)).TotalSeconds));
                await foreach (var (type, lease) in client.CoordinationV1.WatchListNamespacedLeaseAsync(
                                   settings.Namespace,
                                   resourceVersion: resourceVersion,
                                   // The server must not end the watch before we do: its end would look like a cut.
                                   timeoutSeconds: remaining + 5,
                                   cancellationToken: window.Token))
                {
                    eventsTotal++;
                    firstEventMs ??= time.GetElapsedTime(opened).TotalMilliseconds;
                    if (type == WatchEventType.Error)
                    {
                        // An error event (410 Gone) ends this watch; an informer lists again.
                        resourceVersion = null;
                        unexpected = true;
                        break;
                    }

                    if (lease?.Metadata is { } metadata)
                    {
                        resourceVersion = metadata.ResourceVersion ?? resourceVersion;
                        if (metadata.Name == leaseName && metadata.ResourceVersion is { } version)
                        {
                            seen.Add(version);
                        }
                    }
                }

                // The stream ended on its own before our window did.
                unexpected |= !window.IsCancellationRequested;
            }
            catch (OperationCanceledException) when (window.IsCancellationRequested)
            {
                // Our own end of the window: the watch lived its full time.
            }
            catch (HttpOperationException ex)
            {
                refused = ApiFailure.From(ex, $"watch leases in '{settings.Namespace}'");
            }
            catch (CertificateRejectedException ex)
            {
                refused = OutcomeClassifier.Classify(ex, phase: null);
            }
            catch (Exception ex) when (ex is UnexpectedAnswerException or System.Text.Json.JsonException)
            {
                // Not a Kubernetes watch (wrong content type, a first line that is not a Lease event): start again from a
                // fresh state, after the backoff, and say so. A line cut after events arrived is a cut connection instead.
                if (ex is UnexpectedAnswerException || eventsTotal == eventsBefore)
                {
                    garbage = OutcomeClassifier.Classify(ex, phase: null);
                }

                resourceVersion = null;
                unexpected = true;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or TimeoutException)
            {
                // A reset, a cut or a stall past the call timeout while opening: the connection is gone.
                unexpected = true;
            }

            lifetimes.Add(time.GetElapsedTime(opened).TotalMilliseconds);
            if (unexpected)
            {
                disconnects++;
                try
                {
                    await Task.Delay(backoff.Next(), time, window.Token);
                }
                catch (OperationCanceledException) when (window.IsCancellationRequested)
                {
                }
            }
        }

        // The watch owes every write newer than the list it started from, given time to arrive. A write in flight during
        // the list can complete after it and still be older than the list's snapshot: such a write is never delivered, so
        // where resourceVersions compare (etcd's are integers) only newer ones count.
        var expected = journal.Between(target.Name, listedAt, time.GetTimestamp() - (long)(settings.WatchLinger.TotalSeconds * time.TimestampFrequency))
            .Where(w => w.LeaseName == leaseName && IsNewer(w.ResourceVersion, listVersion))
            .Select(w => w.ResourceVersion)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var arrived = expected.Count(seen.Contains);

        if (firstEventMs is { } first)
        {
            context.SetDetail("timeToFirstEventMs", LatencySummary.Round(first));
        }

        context.SetDetail("eventsExpected", expected.Count);
        context.SetDetail("eventsSeen", arrived);
        context.SetDetail("eventsMissed", expected.Count - arrived);
        context.SetDetail("eventsTotal", eventsTotal);
        context.SetDetail("unexpectedDisconnects", disconnects);
        context.SetDetail("connections", lifetimes.Count);
        context.SetDetail("watchRequests", watchRequests);
        if (lifetimes.Count > 0)
        {
            context.SetDetail("connectionLifetimeMs", LatencySummary.Round(lifetimes[0]));
            context.SetDetail("connectionLifetimeMinMs", LatencySummary.Round(lifetimes.Min()));
        }

        // Numbers first (above): a run cut by its timeout or the cycle budget still reports what it measured.
        cancellationToken.ThrowIfCancellationRequested();
        if (refused is not null)
        {
            return refused;
        }

        if (garbage is not null)
        {
            return garbage with { Message = $"{garbage.Message} ({disconnects} disconnect(s) in {watchRequests} watch request(s))" };
        }

        if (disconnects > 0)
        {
            return new(ProbeOutcome.WatchDropped)
            {
                Message = $"the watch was cut {disconnects} time(s); the first connection lived {lifetimes[0]:0} ms of {(settings.Hold + settings.WatchLinger).TotalMilliseconds:0} ms",
            };
        }

        if (arrived < expected.Count)
        {
            return new(ProbeOutcome.WatchDropped)
            {
                Message = $"{expected.Count - arrived} of {expected.Count} canary renewals never arrived on the open watch",
            };
        }

        return ProbeObservation.Ok;
    }

    private static bool IsNewer(string writeVersion, string? listVersion) =>
        listVersion is null
        || !long.TryParse(writeVersion, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var write)
        || !long.TryParse(listVersion, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var listed)
        || write > listed;
}
