using Microsoft.Extensions.Logging;

namespace Synthetics.Lab.Kubernetes;

internal static partial class BystanderLog
{
    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Bystander on {Cluster}: {Identity} leads")]
    public static partial void Acquired(ILogger logger, string cluster, string identity);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Bystander on {Cluster}: {Identity} lost its leader election ({Reason})")]
    public static partial void Lost(ILogger logger, string cluster, string identity, string reason);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Error, Message = "Bystander on {Cluster} failed and restarts")]
    public static partial void Crashed(ILogger logger, Exception exception, string cluster);
}
