using Microsoft.Extensions.Logging;

namespace Synthetics.Lab.Region;

internal static partial class LabRegionLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Lab region up in {ElapsedMs} ms: scenario {Scenario}, vantages {Vantages}")]
    public static partial void Started(ILogger logger, long elapsedMs, string scenario, IReadOnlyList<string> vantages);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Scenario {Scenario} at +{Offset}: {Description}")]
    public static partial void StepApplied(ILogger logger, string scenario, TimeSpan offset, string description);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Error, Message = "Scenario {Scenario} stopped on a failing step")]
    public static partial void ScenarioFailed(ILogger logger, Exception exception, string scenario);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "Scenario switched from {Previous} to {Scenario}")]
    public static partial void ScenarioSwitched(ILogger logger, string previous, string scenario);
}
