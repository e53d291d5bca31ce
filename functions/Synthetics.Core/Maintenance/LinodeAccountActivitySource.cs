using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synthetics.Configuration;
using Synthetics.Linode;

namespace Synthetics.Maintenance;

/// <summary>
/// Reads the account's notifications and events from the Linode API with <c>Linode:Token</c>: events filtered by the
/// server (<c>X-Filter</c> on <c>created</c> and the <see cref="CustomerChange.Actions"/>), both paged to the end, 429
/// waited out as the client does for discovery. A refusal names the scope the token lacks (<c>account:read_only</c>,
/// <c>events:read_only</c>); every failure is logged once and returned as the reading's reason.
/// </summary>
internal sealed partial class LinodeAccountActivitySource(
    IHttpClientFactory httpClients, IOptions<SyntheticsOptions> options, TimeProvider time, ILogger<LinodeAccountActivitySource> logger)
    : IAccountActivitySource
{
    public const string NotificationsScope = "account:read_only";
    public const string EventsScope = "events:read_only";

    public bool IsEnabled => options.Value.Linode.IsEnabled;

    public async Task<AccountReading<AccountNotice>> GetNoticesAsync(CancellationToken cancellationToken)
    {
        if (!IsEnabled)
        {
            return new([], null);
        }

        try
        {
            var items = await Client().ListAsync<AccountNotificationItem>("account/notifications", NotificationsScope, null, cancellationToken);
            return new([.. items.Where(n => AccountNotice.ProviderTypes.Contains(n.Type, StringComparer.Ordinal)).Select(Notice)], null);
        }
        catch (LinodeApiException ex)
        {
            LogUnavailable(logger, "notifications", ex.Message);
            return new([], ex.Message);
        }
    }

    public async Task<AccountReading<CustomerChange>> GetChangesAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        if (!IsEnabled)
        {
            return new([], null);
        }

        try
        {
            var items = await Client().ListAsync<AccountEventItem>("account/events", EventsScope, EventFilter(since), cancellationToken);
            // Checked again client-side: an API (or proxy) that ignored the filter must not name an old or unrelated event.
            return new([.. items.Select(Change).Where(c => c.At >= since && CustomerChange.Actions.Contains(c.Action, StringComparer.Ordinal)).OrderByDescending(c => c.At)], null);
        }
        catch (LinodeApiException ex)
        {
            LogUnavailable(logger, "events", ex.Message);
            return new([], ex.Message);
        }
    }

    /// <summary>
    /// <c>{"+and":[{"created":{"+gte":"2026-03-12T13:30:00"}},{"+or":[{"action":"lke_cluster_update"},…]}],"+order_by":"created","+order":"desc"}</c>.
    /// </summary>
    internal static string EventFilter(DateTimeOffset since)
    {
        var filter = new Dictionary<string, object>
        {
            ["+and"] = new object[]
            {
                new Dictionary<string, object> { ["created"] = new Dictionary<string, string> { ["+gte"] = Time(since) } },
                new Dictionary<string, object> { ["+or"] = CustomerChange.Actions.Select(a => new Dictionary<string, string> { ["action"] = a }).ToArray() },
            },
            ["+order_by"] = "created",
            ["+order"] = "desc",
        };
        return JsonSerializer.Serialize(filter);
    }

    private LinodeApiClient Client() =>
        new(httpClients.CreateClient(nameof(LinodeApiClient)), options.Value.Linode, time, options.Value.VantagePoint);

    private static AccountNotice Notice(AccountNotificationItem item) => new()
    {
        Type = item.Type,
        Label = string.IsNullOrWhiteSpace(item.Label) ? item.Type : item.Label.Trim(),
        Severity = item.Severity,
        When = Utc(item.When),
        Until = Utc(item.Until),
        EntityType = item.Entity?.Type,
        EntityId = EntityId(item.Entity),
        EntityLabel = item.Entity?.Label,
    };

    private static CustomerChange Change(AccountEventItem item) => new()
    {
        Id = item.Id,
        Action = item.Action,
        At = Utc(item.Created)!.Value,
        Duration = item.Duration is { } seconds && seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null,
        EntityType = item.Entity?.Type,
        EntityId = EntityId(item.Entity),
        EntityLabel = item.Entity?.Label,
        Username = item.Username,
    };

    /// <summary>The entity's id as text: a number, a region's name, or the last segment of its URL (<c>/regions/ca-central</c>).</summary>
    private static string? EntityId(AccountEntity? entity) => entity?.Id switch
    {
        { ValueKind: JsonValueKind.Number } number => number.GetRawText(),
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        _ when entity?.Url is { Length: > 0 } url => url.TrimEnd('/').Split('/')[^1],
        _ => null,
    };

    // The API writes times without an offset; they are UTC.
    private static DateTimeOffset? Utc(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 5052, Level = LogLevel.Warning, Message = "The account's {What} could not be read: {Failure}")]
    private static partial void LogUnavailable(ILogger logger, string what, string failure);
}
