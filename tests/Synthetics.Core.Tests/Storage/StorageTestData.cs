using Microsoft.Extensions.Logging.Abstractions;
using Synthetics.Configuration;
using Synthetics.Core.Tests.Support;
using Synthetics.Detection;
using Synthetics.Results;
using Synthetics.Storage;

namespace Synthetics.Core.Tests.Storage;

/// <summary>Results, options and stores for the storage tests: each store gets tables no other test uses.</summary>
internal static class StorageTestData
{
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    public static SyntheticsOptions Options(string connectionString, int readPageSize = 1000, string? outbox = null) => new()
    {
        VantagePoint = "test-vantage",
        Storage = new StorageOptions
        {
            ConnectionString = connectionString,
            ResultsByTimeTable = AzuriteFixture.UniqueTableName("ByTime"),
            ResultsByTargetTable = AzuriteFixture.UniqueTableName("ByTarget"),
            CyclesTable = AzuriteFixture.UniqueTableName("Cycles"),
            IncidentsTable = AzuriteFixture.UniqueTableName("Incidents"),
            OutboxTable = AzuriteFixture.UniqueTableName("Outbox"),
            ReadPageSize = readPageSize,
            OutboxDirectory = outbox,
            RequestTimeoutSeconds = 5,
        },
    };

    public static TableResultStore Store(SyntheticsOptions options, TimeProvider? time = null) => new(
        ResultStorageServiceCollectionExtensions.CreateServiceClient(options.Storage),
        Microsoft.Extensions.Options.Options.Create(options),
        time ?? TimeProvider.System,
        NullLogger<TableResultStore>.Instance);

    public static TableIncidentStateStore IncidentStore(SyntheticsOptions options) => new(
        ResultStorageServiceCollectionExtensions.CreateServiceClient(options.Storage), Microsoft.Extensions.Options.Options.Create(options));

    public static TableRunClaims Claims(SyntheticsOptions options, TimeProvider? time = null) => new(
        ResultStorageServiceCollectionExtensions.CreateServiceClient(options.Storage), Microsoft.Extensions.Options.Options.Create(options), time ?? TimeProvider.System);

    /// <summary>Retention over <paramref name="store"/>, the options' incident history and claims.</summary>
    public static ResultRetention Retention(SyntheticsOptions options, IResultStore store, TimeProvider time) => new(
        store, IncidentStore(options), Claims(options, time), Microsoft.Extensions.Options.Options.Create(options), time);

    public static ProbeResult Result(DateTimeOffset at, string target = "ca-web", string probe = "http", string vantage = "eastus",
        string region = "ca-central", ProbeOutcome outcome = ProbeOutcome.Ok) => new()
    {
        Timestamp = at,
        Vantage = vantage,
        Target = target,
        TargetKind = "Http",
        Probe = probe,
        Region = region,
        Outcome = outcome,
        DurationMs = 12.345678,
    };

    /// <summary>One result per (vantage, target, probe) every minute from <paramref name="first"/>.</summary>
    public static List<ProbeResult> Grid(DateTimeOffset first, int minutes, string[] vantages, string[] targets, string[] probes, string region = "ca-central") =>
        [.. from minute in Enumerable.Range(0, minutes)
            from vantage in vantages
            from target in targets
            from probe in probes
            select Result(first.AddMinutes(minute).AddMilliseconds(137), target, probe, vantage, region)];
}
