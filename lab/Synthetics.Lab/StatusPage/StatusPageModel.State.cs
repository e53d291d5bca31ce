namespace Synthetics.Lab.StatusPage;

/// <summary>The mutable state behind the page, only touched under the model's lock.</summary>
public sealed partial class StatusPageModel
{
    private sealed class ComponentState(LinodeStatusCatalog.CatalogComponent catalog, DateTimeOffset createdAt)
    {
        public LinodeStatusCatalog.CatalogComponent Catalog { get; } = catalog;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public DateTimeOffset UpdatedAt { get; set; } = createdAt;

        public ComponentStatus OwnStatus { get; set; } = ComponentStatus.Operational;
    }

    /// <summary>An incident, or a scheduled maintenance when it has a schedule: Statuspage shapes them alike.</summary>
    private sealed class EntryState(
        string id, string name, IncidentImpact impact, Dictionary<ComponentState, ComponentStatus> components, DateTimeOffset createdAt)
    {
        public string Id { get; } = id;

        public string Name { get; } = name;

        public IncidentImpact Impact { get; } = impact;

        /// <summary>Each component it names, with the status that component shows while this is active.</summary>
        public Dictionary<ComponentState, ComponentStatus> Components { get; } = components;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public DateTimeOffset UpdatedAt { get; set; } = createdAt;

        public DateTimeOffset? MonitoringAt { get; set; }

        public DateTimeOffset? ResolvedAt { get; set; }

        public DateTimeOffset? ScheduledFor { get; init; }

        public DateTimeOffset? ScheduledUntil { get; init; }

        public string Status { get; set; } = "";

        public string Shortlink { get; } = "https://stspg.io/" + NewId();

        /// <summary>Newest first, as served.</summary>
        public List<UpdateState> Updates { get; } = [];

        public bool IsMaintenance => ScheduledFor is not null;

        /// <summary>Whether it changes what its components show: unresolved, or a maintenance under way.</summary>
        public bool IsActive => IsMaintenance
            ? Status is "in_progress" or "verifying"
            : Status is not ("resolved" or "postmortem");
    }

    private sealed record UpdateState(string Id, string Status, string Body, DateTimeOffset CreatedAt, IReadOnlyList<AffectedComponent> Affected);

    private sealed record AffectedComponent(ComponentState Component, ComponentStatus Old, ComponentStatus New);
}
