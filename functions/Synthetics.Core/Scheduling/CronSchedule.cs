using NCrontab;
using Synthetics.Configuration;

namespace Synthetics.Scheduling;

/// <summary>
/// A six-field NCRONTAB schedule (seconds first), as Azure Functions timer triggers use, so the CLI and the
/// Function App read the same setting the same way. Occurrences are computed in UTC.
/// </summary>
/// <remarks>
/// With a <see cref="TimeScale"/> other than 1 (the lab, demos, tests) occurrences are those of the expression on a
/// scaled timeline: virtual = <see cref="ScaleAnchor"/> + (real − anchor) × scale, and a virtual occurrence maps back as
/// anchor + (occurrence − anchor) / scale. The anchor is fixed, so several hosts in one process, or several processes,
/// agree on the same ticks, and "second 0 of each minute, evaluation at second 50" keeps its shape at any speed.
/// </remarks>
public sealed class CronSchedule
{
    /// <summary>Where real and scaled timelines coincide: 2020-01-01T00:00Z, a minute, hour and day boundary.</summary>
    public static readonly DateTimeOffset ScaleAnchor = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly CrontabSchedule _schedule;

    private CronSchedule(CrontabSchedule schedule, string expression, double timeScale)
    {
        _schedule = schedule;
        Expression = expression;
        TimeScale = timeScale;
    }

    public string Expression { get; }

    /// <summary>How many times faster than the expression says the ticks come. 1 (real time) unless scaled.</summary>
    public double TimeScale { get; }

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

        return new CronSchedule(parsed, expression, TimeScaling.RealTime);
    }

    /// <summary>
    /// The schedule of setting <paramref name="setting"/> (e.g. <c>Synthetics:ProbeSchedule</c>) on the timeline of
    /// <paramref name="timeScale"/>. Options are validated at start, so a failure here names the setting all the same.
    /// </summary>
    /// <exception cref="ConfigurationException">The expression or the scale is not valid.</exception>
    public static CronSchedule Parse(string setting, string? expression, double timeScale) =>
        TryParse(expression, out var error) is { } schedule
            ? schedule.ScaledBy(timeScale)
            : throw new ConfigurationException($"{setting} {error}");

    /// <summary>This expression with its ticks <paramref name="timeScale"/> times as frequent (1: real time).</summary>
    public CronSchedule ScaledBy(double timeScale) =>
        TimeScaling.Validate(timeScale) is { } error
            ? throw new ConfigurationException(error)
            : new CronSchedule(_schedule, Expression, timeScale);

    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset Next(DateTimeOffset after)
    {
        if (TimeScale == TimeScaling.RealTime)
        {
            return NextOnExpression(after);
        }

        // Exact arithmetic: ticks since the anchor times a factor overflow a double's 53 bits of precision. Virtual time is
        // rounded down and real ticks up, so the real tick of an occurrence maps back to at least that occurrence and the
        // following call moves on to the next one.
        var scale = (decimal)TimeScale;
        var virtualTicks = decimal.Floor((after - ScaleAnchor).Ticks * scale);
        var virtualNow = ScaleAnchor + TimeSpan.FromTicks((long)virtualTicks);
        var occurrence = NextOnExpression(virtualNow);
        var realTicks = decimal.Ceiling((occurrence - ScaleAnchor).Ticks / scale);
        return ScaleAnchor + TimeSpan.FromTicks((long)realTicks);
    }

    /// <summary>
    /// Waits until the next occurrence after both now and <paramref name="previous"/> (the occurrence last returned),
    /// and returns it. Occurrences that passed while the caller was busy are skipped, as a timer trigger skips the ticks
    /// of a run that overran. Timers may wake a little before the wall clock reaches the occurrence: the wait resumes
    /// until it has, and an occurrence is never returned twice.
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

    public override string ToString() => TimeScale == TimeScaling.RealTime
        ? Expression
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Expression} ×{TimeScale}");

    private DateTimeOffset NextOnExpression(DateTimeOffset after) =>
        new(DateTime.SpecifyKind(_schedule.GetNextOccurrence(after.UtcDateTime), DateTimeKind.Utc));
}
