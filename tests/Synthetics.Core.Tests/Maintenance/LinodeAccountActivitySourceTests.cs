using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Synthetics.Core.Tests.Discovery;
using Synthetics.Lab.LinodeApi;
using Synthetics.Maintenance;

namespace Synthetics.Core.Tests.Maintenance;

/// <summary>The account's notifications and events read from the lab's Linode API over HTTP.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "disposed through IAsyncLifetime")]
public sealed class LinodeAccountActivitySourceTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Noon = new(2026, 3, 12, 12, 0, 0, TimeSpan.Zero);

    private readonly LinodeEstate _estate = new();
    private readonly RecordingLoggerProvider _logs = new();
    private ServiceProvider? _app;

    public Task InitializeAsync() => _estate.InitializeAsync();

    public async Task DisposeAsync()
    {
        _app?.Dispose();
        await _estate.DisposeAsync();
    }

    private IAccountActivitySource Source(string? token = LinodeEstate.Token)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Synthetics:VantagePoint"] = "eastus",
            ["Synthetics:Linode:Token"] = token,
            ["Synthetics:Linode:ApiUrl"] = _estate.ApiUrl,
            ["Synthetics:Linode:PageSize"] = "25",
        };
        var services = new ServiceCollection().AddLogging(b => b.AddProvider(_logs));
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Noon));
        services.AddSynthetics(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        _app = services.BuildServiceProvider();
        return _app.GetRequiredService<IAccountActivitySource>();
    }

    [Fact]
    public async Task GetChangesAsync_ManyEventsOverPages_FilteredByTheServerOnCreatedAndActions()
    {
        for (var i = 0; i < 30; i++)
        {
            _estate.Model.AddEvent(new AccountEvent { Action = "nodebalancer_node_update", Created = Noon.AddMinutes(i), EntityType = "nodebalancer", EntityId = 2001, EntityLabel = "ca-web" });
        }

        for (var i = 0; i < 100; i++)
        {
            // Not asked for: linode boots, and changes before the lookback.
            _estate.Model.AddEvent(new AccountEvent { Action = "linode_boot", Created = Noon.AddMinutes(i % 30), EntityType = "linode", EntityId = 77 });
            _estate.Model.AddEvent(new AccountEvent { Action = "lke_cluster_update", Created = Noon.AddHours(-5).AddMinutes(i), EntityType = "lkecluster", EntityId = 1001 });
        }

        var source = Source();
        var before = _estate.Server.RequestCount;

        var changes = await source.GetChangesAsync(Noon, None);

        Assert.Null(changes.Failure);
        Assert.Equal(30, changes.Items.Count);
        Assert.Equal(2, _estate.Server.RequestCount - before); // 30 matches in pages of 25, not 230 events
        Assert.Equal(Noon.AddMinutes(29), changes.Items[0].At);
        Assert.Equal("nodebalancer_node_update on NodeBalancer ca-web (2001) at 2026-03-12T12:29Z by lab-user", changes.Items[0].Describe());
    }

    [Fact]
    public async Task GetNoticesAsync_ProviderNoticesOnEntities_ReadWithTypesWindowsAndEntities()
    {
        _estate.Model.AddNotification(new AccountNotification
        {
            Type = "maintenance", Label = "Scheduled NodeBalancer maintenance", When = Noon.AddHours(20), Until = Noon.AddHours(22),
            EntityType = "nodebalancer", EntityId = "2001", EntityLabel = "ca-web",
        });
        _estate.Model.AddNotification(new AccountNotification { Type = "outage", Label = "Connectivity issue", EntityType = "region", EntityId = "ca-central" });
        _estate.Model.AddNotification(new AccountNotification { Type = "payment_due", Label = "Your balance is due" });

        var notices = await Source().GetNoticesAsync(None);

        Assert.Null(notices.Failure);
        Assert.Equal(2, notices.Items.Count);
        var maintenance = notices.Items[0];
        Assert.Equal(("maintenance", "nodebalancer", "2001"), (maintenance.Type, maintenance.EntityType, maintenance.EntityId));
        Assert.Equal(Noon.AddHours(20), maintenance.When);
        Assert.Equal(Noon.AddHours(22), maintenance.Until);
        Assert.True(notices.Items[1].Touches("ca-central", new Dictionary<string, string>()));
    }

    [Fact]
    public async Task GetChangesAsync_TokenWithoutEventsScope_FailureNamesTheScope()
    {
        _estate.Server.Fault = LinodeApiFault.Forbidden;

        var changes = await Source().GetChangesAsync(Noon, None);

        Assert.Empty(changes.Items);
        Assert.Equal("GET account/events: the token may not read this (403): it needs the events:read_only scope", changes.Failure);
    }

    [Fact]
    public async Task GetNoticesAsync_TokenRefused_FailureNamesTheTokenWithoutQuotingIt()
    {
        var notices = await Source("a-revoked-token-9d8c7b6a").GetNoticesAsync(None);

        Assert.Equal("GET account/notifications: the Linode API refused the token (401): Synthetics:Linode:Token is invalid, expired or revoked", notices.Failure);
        Assert.DoesNotContain(_logs.Lines, l => l.Message.Contains("a-revoked-token-9d8c7b6a", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetChangesAsync_WithoutToken_NothingAskedNothingFailed()
    {
        var before = _estate.Server.RequestCount;

        var changes = await Source(token: null).GetChangesAsync(Noon, None);

        Assert.Empty(changes.Items);
        Assert.Null(changes.Failure);
        Assert.Equal(before, _estate.Server.RequestCount);
    }
}
