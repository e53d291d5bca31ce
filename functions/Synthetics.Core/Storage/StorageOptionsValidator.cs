using System.Globalization;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Synthetics.Storage;

/// <summary>
/// Checks <c>Synthetics:Storage</c>, run by the section's generated validator, naming each field (never quoting a
/// connection string). Written by hand: the endpoint or the connection string, one of them, and the tables must differ.
/// The retention schedule is checked with the other schedules.
/// </summary>
internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var storage = options;
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(storage.Endpoint))
        {
            if (!Uri.TryCreate(storage.Endpoint, UriKind.Absolute, out var endpoint)
                || (endpoint.Scheme != Uri.UriSchemeHttps && !(endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback)))
            {
                errors.Add($"Synthetics:Storage:Endpoint '{storage.Endpoint}' is not an absolute https URL (http only on loopback)");
            }
        }
        else if (string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            errors.Add("Synthetics:Storage:ConnectionString is required when Synthetics:Storage:Endpoint is not set");
        }
        else
        {
            try
            {
                // Parsing does no I/O; the message must not echo the string: it holds the account key.
                _ = new TableServiceClient(storage.ConnectionString);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
            {
                errors.Add("Synthetics:Storage:ConnectionString is not a valid storage connection string");
            }
        }

        if (!string.IsNullOrWhiteSpace(storage.OutboxEndpoint))
        {
            if (!Uri.TryCreate(storage.OutboxEndpoint, UriKind.Absolute, out var outbox)
                || (outbox.Scheme != Uri.UriSchemeHttps && !(outbox.Scheme == Uri.UriSchemeHttp && outbox.IsLoopback)))
            {
                errors.Add($"Synthetics:Storage:OutboxEndpoint '{storage.OutboxEndpoint}' is not an absolute https URL (http only on loopback)");
            }
        }
        else if (!string.IsNullOrWhiteSpace(storage.OutboxConnectionString))
        {
            try
            {
                _ = new TableServiceClient(storage.OutboxConnectionString);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
            {
                errors.Add("Synthetics:Storage:OutboxConnectionString is not a valid storage connection string");
            }
        }

        ValidateTableName("OutboxTable", storage.OutboxTable, errors);
        ValidateTableName("ResultsByTimeTable", storage.ResultsByTimeTable, errors);
        ValidateTableName("ResultsByTargetTable", storage.ResultsByTargetTable, errors);
        if (string.Equals(storage.ResultsByTimeTable, storage.ResultsByTargetTable, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("Synthetics:Storage:ResultsByTimeTable and ResultsByTargetTable must be different tables");
        }

        if (storage.RetentionDays is < 1 or > 3650)
        {
            errors.Add($"Synthetics:Storage:RetentionDays must be 1–3650 (was {storage.RetentionDays})");
        }

        ValidateSeconds("RetentionBudgetSeconds", storage.RetentionBudgetSeconds, 600, errors);
        ValidateSeconds("FlushBudgetSeconds", storage.FlushBudgetSeconds, 300, errors);
        ValidateSeconds("RequestTimeoutSeconds", storage.RequestTimeoutSeconds, 300, errors);
        if (storage.ReadPageSize is < 1 or > 1000)
        {
            errors.Add($"Synthetics:Storage:ReadPageSize must be 1–1000 (was {storage.ReadPageSize})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateTableName(string field, string? name, List<string> errors)
    {
        if (name is null || !TableName().IsMatch(name))
        {
            errors.Add($"Synthetics:Storage:{field} '{name}' is not a table name (a letter, then 2–62 letters or digits)");
        }
    }

    private static void ValidateSeconds(string field, double value, double max, List<string> errors)
    {
        if (value <= 0 || value > max || double.IsNaN(value))
        {
            errors.Add($"Synthetics:Storage:{field} must be > 0 and ≤ {max.ToString(CultureInfo.InvariantCulture)} (was {value.ToString(CultureInfo.InvariantCulture)})");
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex TableName();
}
