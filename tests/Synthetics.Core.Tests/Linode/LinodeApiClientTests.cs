using Microsoft.Extensions.Time.Testing;
using Synthetics.Core.Tests.Discovery;
using Synthetics.Lab.LinodeApi;
using Synthetics.Linode;

namespace Synthetics.Core.Tests.Linode;

/// <summary>The Linode API client against the lab's Linode API over real HTTP: pagination, 429, refusals and garbage.</summary>
public sealed class LinodeApiClientTests : IAsyncLifetime
{
    private readonly LinodeEstate _estate = new();

    public Task InitializeAsync() => _estate.InitializeAsync();

    public Task DisposeAsync() => _estate.DisposeAsync();

    private LinodeApiClient Client(TimeProvider? time = null, string token = LinodeEstate.Token, Action<LinodeOptions>? configure = null)
    {
        var options = new LinodeOptions { Token = token, ApiUrl = _estate.ApiUrl };
        configure?.Invoke(options);
        return new LinodeApiClient(new HttpClient(), options, time ?? TimeProvider.System, "test");
    }

    [Fact]
    public async Task ListAsync_SixtyClustersInPagesOf25_FollowsEveryPage()
    {
        for (var i = 0; i < 60; i++)
        {
            _estate.Model.UpsertCluster(new LkeCluster { Id = 5000 + i, Label = $"c{i}", Region = "us-east" });
        }

        var before = _estate.Server.RequestCount;

        var clusters = await Client(configure: o => o.PageSize = 25).ListAsync<LkeClusterItem>("lke/clusters", "lke:read_only", null, CancellationToken.None);

        Assert.Equal(62, clusters.Count);
        Assert.Equal(62, clusters.Select(c => c.Id).Distinct().Count());
        Assert.Equal(3, _estate.Server.RequestCount - before);
    }

    [Fact]
    public async Task GetAsync_RateLimitedTwiceWithRetryAfter2_WaitsTheRetryAfterThenAnswers()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        _estate.Server.RateLimitNext(2, retryAfterSeconds: 2);
        var start = time.GetUtcNow();

        var call = Client(time).ListAsync<LkeClusterItem>("lke/clusters", "lke:read_only", null, CancellationToken.None);
        while (!call.IsCompleted)
        {
            // Let the client reach its wait, then move the fake clock on: the answer can come only after both waits.
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
            time.Advance(TimeSpan.FromMilliseconds(250));
        }

        Assert.Equal(2, (await call).Count);
        Assert.True(time.GetUtcNow() - start >= TimeSpan.FromSeconds(4), "the answer came before two Retry-After waits of 2 s had passed");
    }

    [Fact]
    public async Task GetAsync_RateLimitedMoreThanTheRetries_FailsNaming429()
    {
        _estate.Server.RateLimitNext(10, retryAfterSeconds: 0);

        var failure = await Assert.ThrowsAsync<LinodeApiException>(() =>
            Client(configure: o => o.RateLimitRetries = 2).ListAsync<LkeClusterItem>("lke/clusters", "lke:read_only", null, CancellationToken.None));

        Assert.Equal(429, failure.StatusCode);
        Assert.Contains("rate limited (429) 3 times", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_RetryAfterLongerThanTheBound_FailsAtOnce()
    {
        _estate.Server.RateLimitNext(1, retryAfterSeconds: 3600);

        var failure = await Assert.ThrowsAsync<LinodeApiException>(() =>
            Client().ListAsync<LkeClusterItem>("lke/clusters", "lke:read_only", null, CancellationToken.None));

        Assert.Contains("Retry-After 3600 s", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_WrongToken_Names401AndNeverTheToken()
    {
        const string wrong = "wrong-token-5f2b9c0e";

        var failure = await Assert.ThrowsAsync<LinodeApiException>(() =>
            Client(token: wrong).ListAsync<LkeClusterItem>("lke/clusters", "lke:read_only", null, CancellationToken.None));

        Assert.Equal(401, failure.StatusCode);
        Assert.Contains("refused the token (401)", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(LinodeEstate.Token, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_TokenWithoutTheScope_Names403AndTheScope()
    {
        _estate.Server.Fault = LinodeApiFault.Forbidden;

        var failure = await Assert.ThrowsAsync<LinodeApiException>(() =>
            Client().ListAsync<NodeBalancerItem>("nodebalancers", "nodebalancers:read_only", null, CancellationToken.None));

        Assert.Equal(403, failure.StatusCode);
        Assert.Contains("needs the nodebalancers:read_only scope", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LinodeApiFault.ServerError, "answered 500: Internal Server Error")]
    [InlineData(LinodeApiFault.TruncatedJson, "not what the API documents")]
    [InlineData(LinodeApiFault.WrongShape, "not what the API documents")]
    public async Task GetAsync_BadAnswer_FailsWithOneLine(LinodeApiFault fault, string expected)
    {
        _estate.Server.Fault = fault;

        var failure = await Assert.ThrowsAsync<LinodeApiException>(() =>
            Client().ListAsync<LkeClusterItem>("lke/clusters", "lke:read_only", null, CancellationToken.None));

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.StartsWith("GET lke/clusters", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
    }

    [Fact]
    public async Task GetAsync_AnswerSlowerThanTheTimeout_FailsNamingTheTimeout()
    {
        _estate.Server.Fault = LinodeApiFault.SlowAnswer;
        _estate.Server.SlowAnswerDelay = TimeSpan.FromSeconds(30);

        var failure = await Assert.ThrowsAsync<LinodeApiException>(() =>
            Client(configure: o => o.RequestTimeoutSeconds = 0.5).ListAsync<LkeClusterItem>("lke/clusters", "lke:read_only", null, CancellationToken.None));

        Assert.Contains("no complete answer within 0.5 s", failure.Message, StringComparison.Ordinal);
        Assert.Null(failure.StatusCode);
    }

    [Fact]
    public async Task GetAsync_NothingListening_FailsWithoutTheAddressOrToken()
    {
        var closed = Synthetics.Core.Tests.Support.FreePort.Take();
        var client = new LinodeApiClient(
            new HttpClient(), new LinodeOptions { Token = LinodeEstate.Token, ApiUrl = $"http://127.0.0.1:{closed}/v4/" }, TimeProvider.System, "test");

        var failure = await Assert.ThrowsAsync<LinodeApiException>(() =>
            client.ListAsync<LkeClusterItem>("lke/clusters", "lke:read_only", null, CancellationToken.None));

        Assert.Contains("the request failed", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(LinodeEstate.Token, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_UnresolvedKeyVaultReference_SaysSo()
    {
        var failure = Assert.Throws<LinodeApiException>(() =>
            Client(token: "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/linode-token)"));

        Assert.Contains("Key Vault reference the platform did not resolve", failure.Message, StringComparison.Ordinal);
    }
}
