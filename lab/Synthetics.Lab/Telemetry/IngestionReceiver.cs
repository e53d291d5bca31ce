using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Synthetics.Lab.Hosting;

namespace Synthetics.Lab.Telemetry;

/// <summary>
/// A local Application Insights ingestion endpoint: accepts <c>POST /v2.1/track</c> and <c>/v2/track</c>
/// with newline-delimited envelopes (gzip or not), answers as the service does, and keeps what arrived
/// for tests to read back. Point a connection string at it with
/// <c>IngestionEndpoint=</c><see cref="BaseAddress"/>. Failure modes let tests see how a client retries.
/// </summary>
public sealed class IngestionReceiver : IAsyncDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private readonly List<TelemetryEnvelope> _envelopes = [];
    private readonly List<AvailabilityResult> _availability = [];
    private readonly List<TelemetryEvent> _events = [];
    private readonly List<TelemetryMessage> _messages = [];
    private readonly List<IngestionPost> _posts = [];
    private TaskCompletionSource _changed = NewSignal();
    private int _failPostsLeft;
    private int _failStatusCode;
    private int? _failRetryAfterSeconds;
    private int _partialPostsLeft;
    private int _partialItemStatusCode;
    private LoopbackWebApp? _app;

    /// <param name="timeProvider">Stamps posts and runs wait timeouts; default <see cref="TimeProvider.System"/>.</param>
    public IngestionReceiver(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The root to use as <c>IngestionEndpoint</c>, e.g. <c>http://127.0.0.1:41234/</c>. Set by <see cref="StartAsync"/>.</summary>
    public Uri BaseAddress => _app?.BaseAddress ?? throw new InvalidOperationException("The receiver has not been started.");

    /// <summary>A connection string that sends to this receiver with <paramref name="instrumentationKey"/>.</summary>
    public string ConnectionString(Guid instrumentationKey) =>
        $"InstrumentationKey={instrumentationKey};IngestionEndpoint={BaseAddress}";

    /// <summary>Every accepted envelope, in arrival order.</summary>
    public IReadOnlyList<TelemetryEnvelope> Envelopes => Read(_envelopes);

    public IReadOnlyList<AvailabilityResult> AvailabilityResults => Read(_availability);

    public IReadOnlyList<TelemetryEvent> Events => Read(_events);

    /// <summary>Traces and log records (<c>MessageData</c>).</summary>
    public IReadOnlyList<TelemetryMessage> Messages => Read(_messages);

    /// <summary><c>RequestData</c> envelopes.</summary>
    public IReadOnlyList<TelemetryEnvelope> Requests => OfType("RequestData");

    /// <summary><c>RemoteDependencyData</c> envelopes.</summary>
    public IReadOnlyList<TelemetryEnvelope> Dependencies => OfType("RemoteDependencyData");

    /// <summary><c>ExceptionData</c> envelopes.</summary>
    public IReadOnlyList<TelemetryEnvelope> Exceptions => OfType("ExceptionData");

    /// <summary><c>MetricData</c> envelopes.</summary>
    public IReadOnlyList<TelemetryEnvelope> Metrics => OfType("MetricData");

    /// <summary>Every POST answered, failed ones included, in arrival order.</summary>
    public IReadOnlyList<IngestionPost> Posts => Read(_posts);

    /// <summary>
    /// Answers the next <paramref name="posts"/> posts with <paramref name="statusCode"/> (e.g. 503, 429, 500)
    /// and keeps nothing from them, as when the service is unavailable or throttling.
    /// </summary>
    /// <param name="posts">How many posts to fail; 0 disarms.</param>
    /// <param name="statusCode">The status to answer, 400 or above.</param>
    /// <param name="retryAfterSeconds">Sent as <c>Retry-After</c> when set.</param>
    public void FailNext(int posts, int statusCode, int? retryAfterSeconds = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(posts);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        lock (_gate)
        {
            _failPostsLeft = posts;
            _failStatusCode = statusCode;
            _failRetryAfterSeconds = retryAfterSeconds;
        }
    }

    /// <summary>
    /// Answers the next <paramref name="posts"/> posts with 206: items at odd indexes are rejected with
    /// <paramref name="itemStatusCode"/> (default 500, which a client should retry) and not kept; the
    /// others are accepted.
    /// </summary>
    public void RejectOddItemsInNext(int posts, int itemStatusCode = 500)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(posts);
        lock (_gate)
        {
            _partialPostsLeft = posts;
            _partialItemStatusCode = itemStatusCode;
        }
    }

    /// <summary>Forgets everything received so far; failure modes stay armed.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _envelopes.Clear();
            _availability.Clear();
            _events.Clear();
            _messages.Clear();
            _posts.Clear();
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> availability results have arrived.</summary>
    /// <exception cref="TimeoutException">Fewer arrived within <paramref name="timeout"/>.</exception>
    public async Task<IReadOnlyList<AvailabilityResult>> WaitForAvailabilityResultsAsync(
        int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await WaitUntilAsync(() => AvailabilityResults.Count >= count, timeout, $"{count} availability results", cancellationToken);
        return AvailabilityResults;
    }

    /// <summary>Waits until at least <paramref name="count"/> events named <paramref name="name"/> have arrived; returns those.</summary>
    /// <exception cref="TimeoutException">Fewer arrived within <paramref name="timeout"/>.</exception>
    public async Task<IReadOnlyList<TelemetryEvent>> WaitForEventsAsync(
        string name, int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<TelemetryEvent> Named() => Events.Where(e => e.Name == name).ToArray();
        await WaitUntilAsync(() => Named().Count >= count, timeout, $"{count} events named '{name}'", cancellationToken);
        return Named();
    }

    /// <summary>Waits until <paramref name="condition"/> holds; it is re-checked after every post.</summary>
    /// <exception cref="TimeoutException">It did not hold within <paramref name="timeout"/>.</exception>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string? description = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var deadline = new CancellationTokenSource(timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        while (true)
        {
            // Take the signal before checking, so a post landing between the check and the wait is not missed.
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (condition())
            {
                return;
            }

            try
            {
                await changed.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"Waited {timeout} for {description ?? "a condition"}; received {Posts.Count} posts, " +
                    $"{AvailabilityResults.Count} availability results, {Events.Count} events, {Envelopes.Count} envelopes.");
            }
        }
    }

    /// <summary>Starts listening on 127.0.0.1 with an OS-assigned port and returns once it accepts connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The receiver is already started.");
        }

        _app = await LoopbackWebApp.StartAsync(
            app =>
            {
                app.MapPost("/v2.1/track", TrackAsync);
                app.MapPost("/v2/track", TrackAsync);
            },
            cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }

    private async Task<IResult> TrackAsync(HttpRequest request)
    {
        var contentEncoding = request.Headers.ContentEncoding.ToString();
        var lines = await ReadLinesAsync(request, contentEncoding, request.HttpContext.RequestAborted);

        int? failStatus = null;
        int? retryAfter = null;
        int? rejectOddWith = null;
        lock (_gate)
        {
            if (_failPostsLeft > 0)
            {
                _failPostsLeft--;
                failStatus = _failStatusCode;
                retryAfter = _failRetryAfterSeconds;
            }
            else if (_partialPostsLeft > 0)
            {
                _partialPostsLeft--;
                rejectOddWith = _partialItemStatusCode;
            }
        }

        if (failStatus is { } status)
        {
            Record(request.Path, contentEncoding, lines.Count, [], status);
            if (retryAfter is { } seconds)
            {
                request.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            return Answer(lines.Count, 0, new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["statusCode"] = status,
                ["message"] = "The lab ingestion receiver is failing on purpose.",
            }), status);
        }

        var accepted = new List<TelemetryEnvelope>();
        var errors = new JsonArray();
        for (var index = 0; index < lines.Count; index++)
        {
            if (EnvelopeDecoder.TryDecode(lines[index]) is not { } envelope)
            {
                errors.Add(ItemError(index, StatusCodes.Status400BadRequest, "Invalid telemetry item."));
            }
            else if (rejectOddWith is { } itemStatus && index % 2 == 1)
            {
                errors.Add(ItemError(index, itemStatus, "Rejected on purpose by the lab ingestion receiver."));
            }
            else
            {
                accepted.Add(envelope);
            }
        }

        // The service answers 200 when all items are kept, 206 when some are, 400 when none are.
        var code = errors.Count == 0 ? StatusCodes.Status200OK
            : accepted.Count > 0 ? StatusCodes.Status206PartialContent
            : StatusCodes.Status400BadRequest;
        Record(request.Path, contentEncoding, lines.Count, accepted, code);
        return Answer(lines.Count, accepted.Count, errors, code);
    }

    private static JsonObject ItemError(int index, int statusCode, string message) => new()
    {
        ["index"] = index,
        ["statusCode"] = statusCode,
        ["message"] = message,
    };

    private static IResult Answer(int received, int accepted, JsonArray errors, int statusCode) =>
        Results.Content(
            new JsonObject
            {
                ["itemsReceived"] = received,
                ["itemsAccepted"] = accepted,
                ["appId"] = null,
                ["errors"] = errors,
            }.ToJsonString(),
            "application/json",
            Encoding.UTF8,
            statusCode);

    private static async Task<List<string>> ReadLinesAsync(HttpRequest request, string contentEncoding, CancellationToken cancellationToken)
    {
        Stream body = request.Body;
        GZipStream? gzip = null;
        if (contentEncoding.Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            gzip = new GZipStream(body, CompressionMode.Decompress, leaveOpen: true);
            body = gzip;
        }

        await using (gzip)
        {
            using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
            var text = await reader.ReadToEndAsync(cancellationToken);
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        }
    }

    private void Record(string path, string contentEncoding, int received, List<TelemetryEnvelope> accepted, int statusCode)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            foreach (var envelope in accepted)
            {
                _envelopes.Add(envelope);
                switch (envelope.BaseType)
                {
                    case "AvailabilityData":
                        _availability.Add(EnvelopeDecoder.Availability(envelope));
                        break;
                    case "EventData":
                        _events.Add(EnvelopeDecoder.Event(envelope));
                        break;
                    case "MessageData":
                        _messages.Add(EnvelopeDecoder.Message(envelope));
                        break;
                }
            }

            _posts.Add(new IngestionPost
            {
                Path = path,
                ContentEncoding = contentEncoding.Length == 0 ? null : contentEncoding,
                ItemsReceived = received,
                ItemsAccepted = accepted.Count,
                StatusCode = statusCode,
                ReceivedAt = _timeProvider.GetUtcNow(),
            });
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    private List<TelemetryEnvelope> OfType(string baseType)
    {
        lock (_gate)
        {
            return _envelopes.Where(e => e.BaseType == baseType).ToList();
        }
    }

    private T[] Read<T>(List<T> items)
    {
        lock (_gate)
        {
            return items.ToArray();
        }
    }

    // Continuations run off the receiving thread so a waiting test never runs inside the request.
    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
