using Synthetics.Configuration;
using Synthetics.Probes;

namespace Synthetics.Linode;

/// <summary>
/// The <c>Synthetics:Linode</c> section: how the Linode API v4 is reached for discovery and the account's notifications
/// and events. Without a token, discovery and the account's side are off and nothing else changes.
/// </summary>
public sealed class LinodeOptions
{
    /// <summary>Linode's API root.</summary>
    public const string DefaultApiUrl = "https://api.linode.com/v4/";

    /// <summary>
    /// A personal access token with read-only scopes (<c>lke:read_only</c>, <c>nodebalancers:read_only</c>; for the account's
    /// notices and changes <c>account:read_only</c> and <c>events:read_only</c>); in Azure a Key Vault reference. A secret: never logged, printed, stored or sent anywhere but the API. Default none (discovery off).
    /// </summary>
    public string? Token { get; set; }

    /// <summary>The API root, ending in <c>v4/</c>. Default <c>https://api.linode.com/v4/</c>.</summary>
    public string ApiUrl { get; set; } = DefaultApiUrl;

    /// <summary>Bound of one API request, body included, in seconds (&gt; 0). Default 10.</summary>
    [SettingRange(0, ProbingOptions.MaxSeconds, MinimumIsExclusive = true)]
    public double RequestTimeoutSeconds { get; set; } = 10;

    /// <summary>How many times a <c>429</c> is waited out before the request fails (0–10). Default 3.</summary>
    [SettingRange(0, 10)]
    public int RateLimitRetries { get; set; } = 3;

    /// <summary>The longest <c>Retry-After</c> waited for, in seconds; a longer one fails the request at once. Default 30.</summary>
    [SettingRange(0, 3600)]
    public double MaxRetryAfterSeconds { get; set; } = 30;

    /// <summary>Items per page asked for (25–500, the API's bounds). Default 500.</summary>
    [SettingRange(25, 500)]
    public int PageSize { get; set; } = 500;

    /// <summary>True when a token is set: discovery runs.</summary>
    public bool IsEnabled => !string.IsNullOrWhiteSpace(Token);
}
