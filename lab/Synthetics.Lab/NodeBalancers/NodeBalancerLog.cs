using System.Net;
using Microsoft.Extensions.Logging;
using Synthetics.Lab.Faults;

namespace Synthetics.Lab.NodeBalancers;

/// <summary>
/// What an operator of the lab wants in the log: when faults and backends changed, so a probe result can be
/// lined up with the impairment that caused it. Per-connection fates go to the counters, not the log.
/// </summary>
internal static partial class NodeBalancerLog
{
    [LoggerMessage(EventId = 7100, Level = LogLevel.Information,
        Message = "NodeBalancer {NodeBalancer} listening for vantage {Vantage} on {Endpoint}")]
    public static partial void Listening(ILogger logger, string nodeBalancer, string vantage, IPEndPoint endpoint);

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information,
        Message = "NodeBalancer {NodeBalancer} fault plan for {Scope} set to {Plan}")]
    public static partial void FaultPlanSet(ILogger logger, string nodeBalancer, string scope, FaultPlan plan);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Information,
        Message = "NodeBalancer {NodeBalancer} faults cleared for {Scope}")]
    public static partial void FaultsCleared(ILogger logger, string nodeBalancer, string scope);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Information,
        Message = "NodeBalancer {NodeBalancer} backend {Index} ({Endpoint}) up: {IsUp}")]
    public static partial void BackendStateChanged(ILogger logger, string nodeBalancer, int index, IPEndPoint endpoint, bool isUp);
}
