using System.Globalization;
using System.Text.Json.Nodes;

namespace Synthetics.Lab.StatusPage;

/// <summary>
/// The page as Statuspage's public v2 API serves it: the same keys, in the same order, as the
/// status.linode.com and summary.json captures under reference/statuspage.
/// </summary>
public sealed partial class StatusPageModel
{
    /// <summary>How many maintenances Statuspage's <c>scheduled-maintenances.json</c> lists.</summary>
    private const int RecentMaintenances = 50;

    internal JsonObject SummaryJson()
    {
        lock (_gate)
        {
            var unresolved = _entries.Where(e => !e.IsMaintenance && e.IsActive).ToArray();
            var (indicator, description) = Indicator(unresolved);
            return new JsonObject
            {
                ["page"] = PageJson(),
                ["components"] = ComponentsArray(_components),
                ["incidents"] = EntriesArray(unresolved),
                ["scheduled_maintenances"] = EntriesArray(_entries.Where(e => e.IsMaintenance && e.Status != "completed")),
                ["status"] = new JsonObject { ["indicator"] = indicator, ["description"] = description },
            };
        }
    }

    internal JsonObject ComponentsJson()
    {
        lock (_gate)
        {
            return new JsonObject { ["page"] = PageJson(), ["components"] = ComponentsArray(_components) };
        }
    }

    internal JsonObject UnresolvedIncidentsJson()
    {
        lock (_gate)
        {
            return new JsonObject
            {
                ["page"] = PageJson(),
                ["incidents"] = EntriesArray(_entries.Where(e => !e.IsMaintenance && e.IsActive)),
            };
        }
    }

    internal JsonObject MaintenancesJson(bool active) =>
        MaintenancesDocument(e => active ? e.IsActive : e.Status == "scheduled");

    /// <summary><c>scheduled-maintenances.json</c>: the 50 latest maintenances whatever their status, completed included.</summary>
    internal JsonObject RecentMaintenancesJson() =>
        MaintenancesDocument(_ => true, RecentMaintenances);

    private JsonObject MaintenancesDocument(Func<EntryState, bool> include, int limit = int.MaxValue)
    {
        lock (_gate)
        {
            return new JsonObject
            {
                ["page"] = PageJson(),
                ["scheduled_maintenances"] = EntriesArray(_entries.Where(e => e.IsMaintenance && include(e))
                    .OrderByDescending(e => e.ScheduledFor).Take(limit)),
            };
        }
    }

    private JsonObject PageJson() => new()
    {
        ["id"] = LinodeStatusCatalog.PageId,
        ["name"] = LinodeStatusCatalog.PageName,
        ["url"] = LinodeStatusCatalog.PageUrl,
        ["time_zone"] = LinodeStatusCatalog.TimeZone,
        ["updated_at"] = Time(_pageUpdatedAt),
    };

    private JsonArray ComponentsArray(IEnumerable<ComponentState> components) =>
        new(components.Select(c => (JsonNode?)ComponentJson(c)).ToArray());

    private JsonObject ComponentJson(ComponentState component)
    {
        var json = new JsonObject
        {
            ["id"] = component.Catalog.Id,
            ["name"] = component.Catalog.Name,
            ["status"] = Wire(Effective(component)),
            ["created_at"] = Time(component.CreatedAt),
            ["updated_at"] = Time(component.UpdatedAt),
            ["position"] = component.Catalog.Position,
            ["description"] = null,
            ["showcase"] = false,
            ["start_date"] = null,
            ["group_id"] = component.Catalog.GroupId,
            ["page_id"] = LinodeStatusCatalog.PageId,
            ["group"] = component.Catalog.IsGroup,
            ["only_show_if_degraded"] = false,
        };
        if (component.Catalog.IsGroup)
        {
            json["components"] = new JsonArray(_components
                .Where(c => c.Catalog.GroupId == component.Catalog.Id)
                .Select(c => (JsonNode?)c.Catalog.Id)
                .ToArray());
        }

        return json;
    }

    private JsonArray EntriesArray(IEnumerable<EntryState> entries) =>
        new(entries.OrderByDescending(e => e.ScheduledFor ?? e.CreatedAt).Select(e => (JsonNode?)EntryJson(e)).ToArray());

    private JsonObject EntryJson(EntryState entry)
    {
        var json = new JsonObject
        {
            ["id"] = entry.Id,
            ["name"] = entry.Name,
            ["status"] = entry.Status,
            ["created_at"] = Time(entry.CreatedAt),
            ["updated_at"] = Time(entry.UpdatedAt),
            ["monitoring_at"] = Time(entry.MonitoringAt),
            ["resolved_at"] = Time(entry.ResolvedAt),
            ["impact"] = Wire(entry.Impact),
            ["shortlink"] = entry.Shortlink,
            // A maintenance "starts" when it is scheduled for; an incident when it was opened.
            ["started_at"] = Time(entry.ScheduledFor ?? entry.CreatedAt),
            ["page_id"] = LinodeStatusCatalog.PageId,
            ["incident_updates"] = new JsonArray(entry.Updates.Select(u => (JsonNode?)UpdateJson(entry, u)).ToArray()),
            ["components"] = ComponentsArray(entry.Components.Keys),
        };
        if (entry.IsMaintenance)
        {
            json["scheduled_for"] = Time(entry.ScheduledFor);
            json["scheduled_until"] = Time(entry.ScheduledUntil);
        }

        return json;
    }

    private static JsonObject UpdateJson(EntryState entry, UpdateState update) => new()
    {
        ["id"] = update.Id,
        ["status"] = update.Status,
        ["body"] = update.Body,
        ["incident_id"] = entry.Id,
        ["created_at"] = Time(update.CreatedAt),
        ["updated_at"] = Time(update.CreatedAt),
        ["display_at"] = Time(update.CreatedAt),
        ["affected_components"] = new JsonArray(update.Affected.Select(a => (JsonNode?)new JsonObject
        {
            ["code"] = a.Component.Catalog.Id,
            ["name"] = a.Component.Catalog.Name,
            ["old_status"] = Wire(a.Old),
            ["new_status"] = Wire(a.New),
        }).ToArray()),
        ["deliver_notifications"] = true,
        ["custom_tweet"] = null,
        ["tweet_id"] = null,
    };

    /// <summary>The page's overall status: the worse of the worst unresolved incident and the worst component.</summary>
    private (string Indicator, string Description) Indicator(IEnumerable<EntryState> unresolved)
    {
        var fromIncidents = unresolved.Select(e => e.Impact switch
        {
            IncidentImpact.Critical => (Rank: 4, "critical", "Major System Outage"),
            IncidentImpact.Major => (Rank: 3, "major", "Partial System Outage"),
            IncidentImpact.Minor => (Rank: 2, "minor", "Minor Service Outage"),
            _ => (Rank: 0, "none", "All Systems Operational"),
        });
        var worstComponent = _components.Where(c => !c.Catalog.IsGroup).Select(Effective).DefaultIfEmpty().Max();
        var fromComponents = worstComponent switch
        {
            ComponentStatus.MajorOutage => (Rank: 3, "major", "Major System Outage"),
            ComponentStatus.PartialOutage => (Rank: 2, "minor", "Partial System Outage"),
            ComponentStatus.DegradedPerformance => (Rank: 2, "minor", "Partially Degraded Service"),
            ComponentStatus.UnderMaintenance => (Rank: 1, "maintenance", "Service Under Maintenance"),
            _ => (Rank: 0, "none", "All Systems Operational"),
        };
        var worst = fromIncidents.Append(fromComponents).MaxBy(s => s.Rank);
        return (worst.Item2, worst.Item3);
    }

    internal static string Wire(ComponentStatus status) => status switch
    {
        ComponentStatus.Operational => "operational",
        ComponentStatus.UnderMaintenance => "under_maintenance",
        ComponentStatus.DegradedPerformance => "degraded_performance",
        ComponentStatus.PartialOutage => "partial_outage",
        _ => "major_outage",
    };

    internal static string Wire(MaintenanceStatus status) => status switch
    {
        MaintenanceStatus.Scheduled => "scheduled",
        MaintenanceStatus.InProgress => "in_progress",
        MaintenanceStatus.Verifying => "verifying",
        _ => "completed",
    };

    internal static string Wire(IncidentStatus status) => status switch
    {
        IncidentStatus.Investigating => "investigating",
        IncidentStatus.Identified => "identified",
        IncidentStatus.Monitoring => "monitoring",
        IncidentStatus.Resolved => "resolved",
        _ => "postmortem",
    };

    internal static string Wire(IncidentImpact impact) => impact switch
    {
        IncidentImpact.None => "none",
        IncidentImpact.Minor => "minor",
        IncidentImpact.Major => "major",
        IncidentImpact.Critical => "critical",
        _ => "maintenance",
    };

    // Statuspage writes UTC pages with milliseconds and a Z, e.g. "2021-12-01T10:57:29.625Z".
    private static string? Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
