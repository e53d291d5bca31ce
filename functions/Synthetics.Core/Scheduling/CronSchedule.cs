using NCrontab;

namespace Synthetics.Scheduling;

/// <summary>
/// A six-field NCRONTAB schedule (seconds first), as Azure Functions timer triggers use, so the CLI and the
/// Function App read the same setting the same way. Occurrences are computed in UTC.
/// </summary>
public sealed class CronSchedule
{
    private readonly CrontabSchedule _schedule;

    private CronSchedule(CrontabSchedule schedule, string expression)
    {
        _schedule = schedule;
        Expression = expression;
    }

    public string Expression { get; }

    /// <summary>Parses a six-field expression such as <c>*/5 * * * * *</c>; returns null and an error otherwise.</summary>
    public static CronSchedule? TryParse(string? expression, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(expression))
        {
            error = "is empty";
            return null;
        }

        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6)
        {
            error = $"'{expression}' has {fields.Length} fields; six are needed (second minute hour day month day-of-week)";
            return null;
        }

        var parsed = CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        if (parsed is null)
        {
            error = $"'{expression}' is not a valid NCRONTAB expression";
            return null;
        }

        return new CronSchedule(parsed, expression);
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset Next(DateTimeOffset after) =>
        new(DateTime.SpecifyKind(_schedule.GetNextOccurrence(after.UtcDateTime), DateTimeKind.Utc));

    /// <summary>Waits until the next occurrence on <paramref name="timeProvider"/>'s clock and returns it.</summary>
    public async Task<DateTimeOffset> WaitForNextAsync(TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var now = timeProvider.GetUtcNow();
        var next = Next(now);
        var delay = next - now;
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, timeProvider, cancellationToken);
        }

        return next;
    }

    public override string ToString() => Expression;
}
