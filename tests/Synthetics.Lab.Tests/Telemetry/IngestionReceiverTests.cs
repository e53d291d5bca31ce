using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Lab.Telemetry;

namespace Synthetics.Lab.Tests.Telemetry;

/// <summary>The receiver's wire behaviour, posted by hand where the SDK cannot be made to (gzip, 206).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes through IAsyncLifetime.")]
public sealed class IngestionReceiverTests : IAsyncLifetime
{
    private const string Availability =
        """{"ver":1,"name":"Availability","time":"2026-01-02T03:04:05.0000000Z","iKey":"k","tags":{"ai.cloud.role":"lab","ai.application.ver":null},"data":{"baseType":"AvailabilityData","baseData":{"ver":2,"id":"1","name":"ca-web/http","duration":"1.00:00:02.5000000","success":true,"runLocation":"canadacentral","message":"","properties":{"outcome":"ok"},"measurements":{"certDaysLeft":42}}}}""";

    private const string Event =
        """{"ver":1,"name":"Event","time":"2026-01-02T03:04:05.0000000Z","iKey":"k","tags":{},"data":{"baseType":"EventData","baseData":{"ver":2,"name":"IncidentOpened","properties":{"scope":"target"},"measurements":{"targets":3}}}}""";

    private readonly IngestionReceiver _receiver = new();
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        await _receiver.StartAsync(CancellationToken.None);
        _http.BaseAddress = _receiver.BaseAddress;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Post_GzipBody_DecodedAndAnsweredLikeTheService()
    {
        using var response = await PostAsync("v2/track", gzip: true, Availability, Event);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2, answer.RootElement.GetProperty("itemsReceived").GetInt32());
        Assert.Equal(2, answer.RootElement.GetProperty("itemsAccepted").GetInt32());
        Assert.Equal(JsonValueKind.Null, answer.RootElement.GetProperty("appId").ValueKind);
        Assert.Equal(0, answer.RootElement.GetProperty("errors").GetArrayLength());

        var result = Assert.Single(_receiver.AvailabilityResults);
        Assert.Equal(new TimeSpan(1, 0, 0, 2, 500), result.Duration);
        Assert.Equal("canadacentral", result.RunLocation);
        Assert.Equal(42, result.Measurements["certDaysLeft"]);
        Assert.DoesNotContain("ai.application.ver", result.Envelope.Tags.Keys);
        Assert.Equal(3, Assert.Single(_receiver.Events).Measurements["targets"]);
        Assert.Equal("gzip", Assert.Single(_receiver.Posts).ContentEncoding);
    }

    [Fact]
    public async Task Post_FailNext503_AnswersServiceUnavailableWithRetryAfterThenRecovers()
    {
        _receiver.FailNext(1, 503, retryAfterSeconds: 7);

        using var failed = await PostAsync("v2.1/track", gzip: false, Availability);
        using var recovered = await PostAsync("v2.1/track", gzip: false, Availability);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), failed.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        Assert.Single(_receiver.AvailabilityResults);
        Assert.Equal([503, 200], _receiver.Posts.Select(p => p.StatusCode));
    }

    [Fact]
    public async Task Post_RejectOddItems_Answers206WithPerItemErrors()
    {
        _receiver.RejectOddItemsInNext(1);

        using var response = await PostAsync("v2.1/track", gzip: false, Availability, Event, Event);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(3, answer.RootElement.GetProperty("itemsReceived").GetInt32());
        Assert.Equal(2, answer.RootElement.GetProperty("itemsAccepted").GetInt32());
        var error = Assert.Single(answer.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal(1, error.GetProperty("index").GetInt32());
        Assert.Equal(500, error.GetProperty("statusCode").GetInt32());
        Assert.Single(_receiver.Events);
    }

    [Fact]
    public async Task Post_InvalidLine_Answers400()
    {
        using var response = await PostAsync("v2.1/track", gzip: false, "not json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_receiver.Envelopes);
    }

    [Fact]
    public async Task WaitForEventsAsync_TooFewBeforeTimeout_ThrowsTimeoutException()
    {
        var time = new FakeTimeProvider();
        await using var receiver = new IngestionReceiver(time);
        await receiver.StartAsync(CancellationToken.None);

        var waiting = receiver.WaitForEventsAsync("IncidentOpened", 1, TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(31));

        await Assert.ThrowsAsync<TimeoutException>(() => waiting);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, bool gzip, params string[] lines)
    {
        var body = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        if (gzip)
        {
            using var compressed = new MemoryStream();
            await using (var zip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                await zip.WriteAsync(body);
            }

            body = compressed.ToArray();
        }

        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-json-stream");
        if (gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }

        return await _http.PostAsync(new Uri(path, UriKind.Relative), content);
    }
}
