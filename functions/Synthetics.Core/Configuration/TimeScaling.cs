using System.Collections;
using System.Reflection;

namespace Synthetics.Configuration;

/// <summary>
/// <c>Synthetics:TimeScale</c> applied to an options graph: the one rule by which the lab, demos and tests run the
/// shipped defaults faster without changing their structure. Every duration is divided by the factor: a
/// <see cref="TimeSpan"/> property, or a number whose name ends in <c>Seconds</c> or <c>Ms</c>; a rate whose name ends in
/// <c>PerSecond</c> is multiplied; counts, ratios, days and everything else are left alone. It works by reflection over
/// the graph, so a duration added to any options class later is scaled without anyone remembering to.
/// </summary>
public static class TimeScaling
{
    /// <summary>The production time scale: durations as configured.</summary>
    public const double RealTime = 1;

    /// <summary>
    /// The largest factor accepted: beyond it one-second settings round to nothing, and the scaled timeline of a schedule
    /// (years since 2020 times the factor) nears the end of <see cref="DateTimeOffset"/>.
    /// </summary>
    public const double MaxFactor = 100;

    /// <summary>Null when <paramref name="factor"/> is a usable time scale, else why not (naming the setting).</summary>
    public static string? Validate(double factor) =>
        double.IsFinite(factor) && factor > 0 && factor <= MaxFactor
            ? null
            : $"Synthetics:TimeScale must be > 0 and ≤ {MaxFactor:0} (was {factor.ToString(System.Globalization.CultureInfo.InvariantCulture)})";

    /// <summary>
    /// Scales every duration and rate reachable from <paramref name="graph"/> in place (nested options objects and lists
    /// of them included) and returns it. A factor of 1 changes nothing.
    /// </summary>
    public static T Apply<T>(T graph, double factor)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (Validate(factor) is { } error)
        {
            throw new ConfigurationException(error);
        }

        if (factor != RealTime)
        {
            Walk(graph, factor, new HashSet<object>(ReferenceEqualityComparer.Instance));
        }

        return graph;
    }

    private static void Walk(object node, double factor, HashSet<object> visited)
    {
        if (!visited.Add(node))
        {
            return;
        }

        foreach (var property in node.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || !property.CanRead)
            {
                continue;
            }

            var value = property.GetValue(node);
            if (value is null)
            {
                continue;
            }

            if (property.CanWrite && property.SetMethod is { IsPublic: true } && Scaled(property.Name, value, factor) is { } scaled)
            {
                property.SetValue(node, scaled);
            }
            else if (IsOptionsType(value.GetType()))
            {
                Walk(value, factor, visited);
            }
            else if (value is IEnumerable items and not string and not IDictionary)
            {
                foreach (var item in items)
                {
                    if (item is not null && IsOptionsType(item.GetType()))
                    {
                        Walk(item, factor, visited);
                    }
                }
            }
        }
    }

    /// <summary>The scaled value of a duration or rate property, or null when the property is neither.</summary>
    private static object? Scaled(string name, object value, double factor)
    {
        if (value is TimeSpan span)
        {
            return TimeSpan.FromTicks((long)Math.Round(span.Ticks / factor));
        }

        var divisor = name.EndsWith("Seconds", StringComparison.Ordinal) || name.EndsWith("Ms", StringComparison.Ordinal)
            ? factor
            : name.EndsWith("PerSecond", StringComparison.Ordinal) ? 1 / factor : 0;
        if (divisor == 0)
        {
            return null;
        }

        return value switch
        {
            double d => d / divisor,
            float f => (float)(f / divisor),
            decimal m => m / (decimal)divisor,
            // A whole-number duration rounds to the nearest unit, never to zero from something positive.
            int i => i > 0 ? (int)Math.Max(1, Math.Round(i / divisor)) : i,
            long l => l > 0 ? (long)Math.Max(1, Math.Round(l / divisor)) : l,
            _ => null,
        };
    }

    // Options classes and records of this product (not strings, collections or framework types).
    private static bool IsOptionsType(Type type) =>
        type.IsClass && type != typeof(string) && type.Assembly == typeof(TimeScaling).Assembly;
}
