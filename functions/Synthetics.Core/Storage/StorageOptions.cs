namespace Synthetics.Storage;

/// <summary>
/// Where and how results are stored: the <c>Synthetics:Storage</c> section. Azure Table Storage through a connection
/// string, or through an endpoint and managed identity when <see cref="Endpoint"/> is set.
/// </summary>
public sealed class StorageOptions
{
    /// <summary>
    /// Storage account connection string. Default <c>UseDevelopmentStorage=true</c> (Azurite on 127.0.0.1:10002).
    /// Ignored when <see cref="Endpoint"/> is set. A secret: never logged or printed.
    /// </summary>
    public string? ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>
    /// Table service endpoint, e.g. <c>https://account.table.core.windows.net</c>. When set, the app authenticates with
    /// managed identity instead of the connection string. Default none.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>
    /// Client id of the user-assigned managed identity used with <see cref="Endpoint"/>. Default: the
    /// <c>AZURE_CLIENT_ID</c> setting (what the Function App sets for its identity); with neither, DefaultAzureCredential
    /// (a developer's sign-in, or a system-assigned identity).
    /// </summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Table read by the evaluator: partitioned by minute and vantage. Default <c>SyntheticsResultsByMinute</c>.</summary>
    public string ResultsByTimeTable { get; set; } = "SyntheticsResultsByMinute";

    /// <summary>Table read by evidence reports: partitioned by day and region, rows by target and time. Default <c>SyntheticsResultsByTarget</c>.</summary>
    public string ResultsByTargetTable { get; set; } = "SyntheticsResultsByTarget";

    /// <summary>
    /// Table of cycle records (one row per vantage and probe cycle, written once the cycle's results are stored), which
    /// the evaluator judges by: partitioned by minute. Default <c>SyntheticsCycles</c>.
    /// </summary>
    public string CyclesTable { get; set; } = "SyntheticsCycles";

    /// <summary>Table of detection state (one entity, ETag-guarded) and incident history. Default <c>SyntheticsIncidents</c>.</summary>
    public string IncidentsTable { get; set; } = "SyntheticsIncidents";

    /// <summary>
    /// Table of the discovered target catalog, shared by every vantage point: written by discovery, read at each probe
    /// cycle. Default <c>SyntheticsTargetCatalog</c>.
    /// </summary>
    public string TargetCatalogTable { get; set; } = "SyntheticsTargetCatalog";

    /// <summary>Results older than this many days are deleted by the retention function (1–3650). Default 30.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>Wall-clock budget of one retention run, in seconds (1–600); the rest waits for the next run. Default 90.</summary>
    public double RetentionBudgetSeconds { get; set; } = 90;

    /// <summary>
    /// Directory of the outbox: each cycle's results are written here first and deleted once stored.
    /// Relative paths resolve against the base directory. Default <c>&lt;temp&gt;/lke-synthetics/outbox/&lt;vantage&gt;</c>.
    /// </summary>
    public string? OutboxDirectory { get; set; }

    /// <summary>
    /// Table endpoint of the app's own host storage account (in Azure, the account of <c>AzureWebJobsStorage</c>, in the
    /// vantage's own region), e.g. <c>https://sthost0abc.table.core.windows.net</c>, reached with the same managed
    /// identity as <see cref="Endpoint"/>. When set, batches a flush could not store are parked there, so a recycled
    /// instance loses nothing; any later flush of the same vantage writes them. Default none: the local outbox alone.
    /// </summary>
    public string? OutboxEndpoint { get; set; }

    /// <summary>
    /// Connection string of the host storage account, instead of <see cref="OutboxEndpoint"/> (the emulator, tests).
    /// Ignored when <see cref="OutboxEndpoint"/> is set. A secret: never logged or printed. Default none.
    /// </summary>
    public string? OutboxConnectionString { get; set; }

    /// <summary>Table of parked outbox batches in the host storage account. Default <c>SyntheticsOutbox</c>.</summary>
    public string OutboxTable { get; set; } = "SyntheticsOutbox";

    /// <summary>Wall-clock budget of one outbox flush, in seconds (1–300). Default 15.</summary>
    public double FlushBudgetSeconds { get; set; } = 15;

    /// <summary>Timeout of one request to the table service, in seconds (1–300). Default 10.</summary>
    public double RequestTimeoutSeconds { get; set; } = 10;

    /// <summary>Entities per page when reading (1–1000, the service's maximum). Default 1000.</summary>
    public int ReadPageSize { get; set; } = 1000;
}
