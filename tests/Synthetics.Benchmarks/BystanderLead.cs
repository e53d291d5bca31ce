using static System.FormattableString;

namespace Synthetics.Benchmarks;

/// <summary>
/// Whether the page came before the customers noticed: the cluster's own cert-manager (the lab's bystander) losing its
/// leader election is what they notice first. Lead = first lost election − page: positive when the page came first.
/// </summary>
internal sealed record BystanderLead(TimeSpan? FirstLostLease, TimeSpan? Page)
{
    /// <summary>From onset: the bystander's first loss at or after <paramref name="onset"/>, and the page.</summary>
    public static BystanderLead From(DateTimeOffset onset, IEnumerable<Lab.Kubernetes.BystanderLeaseEvent> bystander, DateTimeOffset? page) =>
        new(bystander.FirstOrDefault(e => e.IsLost && e.At >= onset) is { } lost ? lost.At - onset : null, page - onset);

    public TimeSpan? Lead => FirstLostLease - Page;

    /// <summary>A page, and no lost lease before it (the bystander lost it later, or never).</summary>
    public bool PagedFirst => Page is { } page && (FirstLostLease is not { } lost || page < lost);

    /// <summary>"paged before the bystander's first lost lease in 9 of 10 seeds (1 without a loss)".</summary>
    public static string Summary(IReadOnlyCollection<BystanderLead> leads) =>
        Invariant($"paged before the bystander's first lost lease in {leads.Count(l => l.PagedFirst)} of {leads.Count} seeds ({leads.Count(l => l.FirstLostLease is null)} without a loss)");

    /// <summary>"bystander lost its lease 47 s after onset, page 190 s, lead -143 s" (or "no loss", "no page").</summary>
    public override string ToString() =>
        (FirstLostLease is { } lost ? Invariant($"bystander first lost its lease {lost.TotalSeconds:0} s after onset") : "bystander: no loss")
        + (Page is { } page ? Invariant($", page {page.TotalSeconds:0} s") : ", no page")
        + (Lead is { } lead ? Invariant($", lead {lead.TotalSeconds:0} s") : FirstLostLease is null ? ", lead: no loss" : ", lead: –");

    /// <summary>The lead as a table cell: seconds, "no loss" or "–".</summary>
    public string LeadCell => Lead is { } lead ? Invariant($"{lead.TotalSeconds:0} s") : FirstLostLease is null ? "no loss" : "–";

    public string LostCell => FirstLostLease is { } lost ? Invariant($"{lost.TotalSeconds:0} s") : "no loss";
}
