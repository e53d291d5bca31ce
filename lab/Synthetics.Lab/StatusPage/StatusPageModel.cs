using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Synthetics.Lab.StatusPage;

/// <summary>
/// What the lab's status.linode.com says: Linode's components, incidents and scheduled maintenances,
/// changeable while the server answers. A component's shown status is the worst of its own status,
/// the unresolved incidents naming it and the active maintenances touching it; a group shows its worst
/// child, as Statuspage does. Every change is stamped with the <see cref="TimeProvider"/> and recorded as
/// an incident update with the affected components' old and new status.
/// </summary>
public sealed partial class StatusPageModel
{
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly List<ComponentState> _components;
    private readonly List<EntryState> _entries = [];
    private DateTimeOffset _pageUpdatedAt;

    /// <summary>A page with every Linode component operational, no incidents and no maintenances.</summary>
    /// <param name="timeProvider">Stamps every change; default <see cref="TimeProvider.System"/>.</param>
    public StatusPageModel(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _pageUpdatedAt = _timeProvider.GetUtcNow();
        _components = LinodeStatusCatalog.Components
            .Select(c => new ComponentState(c, DateTimeOffset.Parse(c.CreatedAt, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <summary>Every component name, groups included, as served.</summary>
    public IReadOnlyList<string> ComponentNames => _components.Select(c => c.Catalog.Name).ToArray();

    /// <summary>The status a component is shown with now (its own, incidents, maintenances; groups: worst child).</summary>
    /// <param name="name">The component name or id; runs of spaces count as one.</param>
    public ComponentStatus GetComponentStatus(string name)
    {
        lock (_gate)
        {
            return Effective(Find(name));
        }
    }

    /// <summary>Sets a component's own status, as an operator does outside any incident.</summary>
    /// <param name="name">The component name or id; runs of spaces count as one. Not a group.</param>
    /// <param name="status">The new status.</param>
    public void SetComponentStatus(string name, ComponentStatus status)
    {
        lock (_gate)
        {
            var component = Find(name);
            if (component.Catalog.IsGroup)
            {
                throw new ArgumentException($"'{component.Catalog.Name}' is a group; its status follows its components.", nameof(name));
            }

            var now = _timeProvider.GetUtcNow();
            component.OwnStatus = status;
            component.UpdatedAt = now;
            _pageUpdatedAt = now;
        }
    }

    /// <summary>Schedules a maintenance and returns its id.</summary>
    /// <param name="name">The title, e.g. "Scheduled Maintenance - CA-Central (Toronto) NodeBalancers".</param>
    /// <param name="componentNames">The components it touches.</param>
    /// <param name="scheduledFor">When it starts.</param>
    /// <param name="scheduledUntil">When it is planned to end.</param>
    /// <param name="status">Its status now; default <see cref="MaintenanceStatus.Scheduled"/>.</param>
    /// <param name="impact">Default <see cref="IncidentImpact.Maintenance"/>.</param>
    /// <param name="componentStatusWhileActive">What the components show while it is in progress or verifying; default under maintenance.</param>
    /// <param name="body">The text of the first update.</param>
    public string AddMaintenance(
        string name,
        IEnumerable<string> componentNames,
        DateTimeOffset scheduledFor,
        DateTimeOffset scheduledUntil,
        MaintenanceStatus status = MaintenanceStatus.Scheduled,
        IncidentImpact impact = IncidentImpact.Maintenance,
        ComponentStatus componentStatusWhileActive = ComponentStatus.UnderMaintenance,
        string? body = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(componentNames);
        if (scheduledUntil < scheduledFor)
        {
            throw new ArgumentException("A maintenance cannot end before it starts.", nameof(scheduledUntil));
        }

        lock (_gate)
        {
            var components = componentNames.Select(Find).Distinct().ToDictionary(c => c, _ => componentStatusWhileActive);
            var entry = new EntryState(NewId(), name, impact, components, _timeProvider.GetUtcNow())
            {
                ScheduledFor = scheduledFor,
                ScheduledUntil = scheduledUntil,
            };
            Change(entry, () =>
            {
                _entries.Add(entry);
                entry.Status = Wire(status);
            }, body ?? DefaultBody(status));
            return entry.Id;
        }
    }

    /// <summary>Moves a maintenance along (e.g. to <see cref="MaintenanceStatus.InProgress"/>), with an update.</summary>
    public void SetMaintenanceStatus(string maintenanceId, MaintenanceStatus status, string? body = null)
    {
        lock (_gate)
        {
            var entry = FindEntry(maintenanceId, maintenance: true);
            Change(entry, () => entry.Status = Wire(status), body ?? DefaultBody(status));
        }
    }

    /// <summary>Removes a maintenance as if it had never been posted; false if there is none with that id.</summary>
    public bool RemoveMaintenance(string maintenanceId) => RemoveEntry(maintenanceId, maintenance: true);

    /// <summary>Opens an incident and returns its id.</summary>
    /// <param name="name">The title.</param>
    /// <param name="impact">How bad; drives the page indicator.</param>
    /// <param name="components">The components it names and the status each shows while it is unresolved.</param>
    /// <param name="status">Default <see cref="IncidentStatus.Investigating"/>.</param>
    /// <param name="body">The text of the first update.</param>
    public string AddIncident(
        string name,
        IncidentImpact impact,
        IReadOnlyDictionary<string, ComponentStatus> components,
        IncidentStatus status = IncidentStatus.Investigating,
        string? body = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(components);
        lock (_gate)
        {
            var affected = components.ToDictionary(pair => Find(pair.Key), pair => pair.Value);
            var entry = new EntryState(NewId(), name, impact, affected, _timeProvider.GetUtcNow());
            Change(entry, () =>
            {
                _entries.Add(entry);
                entry.Status = Wire(status);
            }, body ?? "We are investigating an issue.");
            return entry.Id;
        }
    }

    /// <summary>Moves an incident along (identified, monitoring, resolved…), with an update.</summary>
    public void SetIncidentStatus(string incidentId, IncidentStatus status, string? body = null)
    {
        lock (_gate)
        {
            var entry = FindEntry(incidentId, maintenance: false);
            Change(entry, () => entry.Status = Wire(status), body ?? $"Status changed to {Wire(status)}.");
        }
    }

    /// <summary>Removes an incident as if it had never been posted; false if there is none with that id.</summary>
    public bool RemoveIncident(string incidentId) => RemoveEntry(incidentId, maintenance: false);

    /// <summary>Applies a change to an entry and records it as an update naming old and new component status.</summary>
    private void Change(EntryState entry, Action apply, string body)
    {
        var before = entry.Components.Keys.ToDictionary(c => c, Effective);
        apply();
        var now = _timeProvider.GetUtcNow();
        entry.UpdatedAt = now;
        switch (entry.Status)
        {
            case "monitoring":
                entry.MonitoringAt ??= now;
                break;
            case "resolved" or "postmortem" or "completed":
                entry.ResolvedAt ??= now;
                break;
        }

        var affected = entry.Components.Keys
            .Select(c => new AffectedComponent(c, before[c], Effective(c)))
            .ToArray();
        entry.Updates.Insert(0, new UpdateState(NewId(), entry.Status, body, now, affected));
        foreach (var change in affected.Where(a => a.Old != a.New))
        {
            change.Component.UpdatedAt = now;
        }

        _pageUpdatedAt = now;
    }

    private bool RemoveEntry(string id, bool maintenance)
    {
        lock (_gate)
        {
            var removed = _entries.RemoveAll(e => e.Id == id && e.IsMaintenance == maintenance) > 0;
            if (removed)
            {
                _pageUpdatedAt = _timeProvider.GetUtcNow();
            }

            return removed;
        }
    }

    private ComponentStatus Effective(ComponentState component)
    {
        if (component.Catalog.IsGroup)
        {
            return _components
                .Where(c => c.Catalog.GroupId == component.Catalog.Id)
                .Select(Effective)
                .DefaultIfEmpty(ComponentStatus.Operational)
                .Max();
        }

        var status = component.OwnStatus;
        foreach (var entry in _entries.Where(e => e.IsActive))
        {
            if (entry.Components.TryGetValue(component, out var shown) && shown > status)
            {
                status = shown;
            }
        }

        return status;
    }

    private ComponentState Find(string nameOrId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrId);
        var wanted = Normalize(nameOrId);
        return _components.FirstOrDefault(c => c.Catalog.Id == nameOrId || Normalize(c.Catalog.Name) == wanted)
            ?? throw new ArgumentException($"No component named '{nameOrId}' on the Linode status page.", nameof(nameOrId));
    }

    private EntryState FindEntry(string id, bool maintenance) =>
        _entries.FirstOrDefault(e => e.Id == id && e.IsMaintenance == maintenance)
        ?? throw new ArgumentException($"No {(maintenance ? "maintenance" : "incident")} with id '{id}'.", nameof(id));

    // Linode's own data has a double space in one name; matching ignores such slips.
    private static string Normalize(string name) => Spaces().Replace(name.Trim(), " ");

    private static string NewId() => RandomNumberGenerator.GetString(IdAlphabet, 12);

    private static string DefaultBody(MaintenanceStatus status) => status switch
    {
        MaintenanceStatus.Scheduled => "We will be performing scheduled maintenance.",
        MaintenanceStatus.InProgress => "Scheduled maintenance is currently in progress. We will provide updates as necessary.",
        MaintenanceStatus.Verifying => "Verification is currently underway for the maintenance items.",
        _ => "The scheduled maintenance has been completed.",
    };

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();
}
