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

    /// <summary>
    /// Waits until the next occurrence after both now and <paramref name="previous"/> (the occurrence last returned),
    /// and returns it. Timers may wake a little before the wall clock reaches the occurrence: the wait resumes until it
    /// has, and an occurrence is never returned twice.
    /// </summary>
    public async Task<DateTimeOffset> WaitForNextAsync(TimeProvider timeProvider, DateTimeOffset? previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var now = timeProvider.GetUtcNow();
        var next = Next(previous is { } last && last > now ? last : now);
        while ((now = timeProvider.GetUtcNow()) < next)
        {
            await Task.Delay(next - now, timeProvider, cancellationToken);
        }

        return next;
    }

    public override string ToString() => Expression;
}
