using Synthetics.Lab.NodeBalancers;

namespace Synthetics.Lab.Faults;

/// <summary>What <c>GET /admin/nodebalancers</c> returns for one NodeBalancer; endpoints as <c>host:port</c> text.</summary>
internal sealed record NodeBalancerView(
    string Name,
    FaultPlan FaultPlan,
    IReadOnlyList<VantageView> Vantages,
    IReadOnlyList<BackendView> Backends,
    VantageStatistics Total)
{
    public static NodeBalancerView From(NodeBalancer nodeBalancer)
    {
        var statistics = nodeBalancer.GetStatistics();
        return new NodeBalancerView(
            nodeBalancer.Name,
            nodeBalancer.FaultPlan,
            [.. nodeBalancer.Vantages.Select(vantage => new VantageView(
                vantage,
                nodeBalancer.GetEndpoint(vantage).ToString(),
                nodeBalancer.GetVantageFaultPlan(vantage),
                nodeBalancer.GetEffectiveFaultPlan(vantage),
                statistics.Vantages[vantage]))],
            [.. nodeBalancer.Backends.Select(backend => new BackendView(backend.Index, backend.Endpoint.ToString(), backend.IsUp))],
            statistics.Total);
    }
}

/// <summary>One vantage: where its clients connect, its own plan (null when none), the plan in force, its counters.</summary>
internal sealed record VantageView(
    string Name,
    string Endpoint,
    FaultPlan? FaultPlan,
    FaultPlan EffectiveFaultPlan,
    VantageStatistics Statistics);

internal sealed record BackendView(int Index, string Endpoint, bool IsUp);

/// <summary>The body of every 4xx answer: which field was wrong and why.</summary>
internal sealed record AdminError(string Field, string Error);
