using Microsoft.Extensions.Time.Testing;
using Synthetics.Lab.Certificates;
using Synthetics.Lab.Kubernetes;

namespace Synthetics.Lab.Tests.Kubernetes;

public sealed class LabKubernetesApiTimeTests
{
    [Fact]
    public async Task ResponseDelay_FakeTime_HoldsRequestUntilTimeAdvances()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var authority = CertificateAuthority.Create("lab-ca", time.GetUtcNow());
        await using var api = new LabKubernetesApi(authority, timeProvider: time);
        await api.StartAsync(CancellationToken.None);
        using var http = CreateHttpClient(api, authority);
        api.ResponseDelay = TimeSpan.FromSeconds(30);

        var pending = http.GetStringAsync("readyz");
        await WaitUntilAsync(() => api.GetRequestCount("GET", "/readyz") == 1);
        Assert.False(pending.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal("ok", await pending.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task CreateLease_FakeTime_StampsCreationTimeFromProvider()
    {
        var start = new DateTimeOffset(DateTimeOffset.UtcNow.Year, 3, 12, 9, 30, 15, TimeSpan.Zero).AddMilliseconds(750);
        var time = new FakeTimeProvider(start);
        using var authority = CertificateAuthority.Create("lab-ca", DateTimeOffset.UtcNow);
        var options = new LabKubernetesApiOptions();
        options.Tokens.Add("t");
        await using var api = new LabKubernetesApi(authority, options, time);
        await api.StartAsync(CancellationToken.None);
        using var http = CreateHttpClient(api, authority);
        http.DefaultRequestHeaders.Authorization = new("Bearer", "t");

        using var response = await http.PostAsync(
            "apis/coordination.k8s.io/v1/namespaces/default/leases",
            new StringContent("""{"metadata":{"name":"x"}}""", System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();

        Assert.Equal(start.AddMilliseconds(-750).UtcDateTime, api.GetLease("default", "x")!.Metadata.CreationTimestamp);
    }

    private static HttpClient CreateHttpClient(LabKubernetesApi api, CertificateAuthority authority) =>
        new(TestCluster.TrustingHandler(authority)) { BaseAddress = api.BaseAddress };

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }
}
