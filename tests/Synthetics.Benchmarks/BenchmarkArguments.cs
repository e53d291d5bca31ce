using System.Globalization;

namespace Synthetics.Benchmarks;

/// <summary><c>--name value</c> pairs with typed lookups and defaults.</summary>
internal sealed class BenchmarkArguments(Dictionary<string, string> values)
{
    public static BenchmarkArguments Parse(IEnumerable<string> args)
    {
        var list = args.ToList();
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < list.Count; i += 2)
        {
            values[list[i].TrimStart('-')] = list[i + 1];
        }

        return new BenchmarkArguments(values);
    }

    public string String(string name, string fallback) => values.GetValueOrDefault(name, fallback);

    public double Double(string name, double fallback) =>
        values.TryGetValue(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public int Int(string name, int fallback) =>
        values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    /// <summary>
    /// march-12's fleet change (<c>--fleet-change rolling|at-once</c>): null for the scenario's default, a change rolling
    /// over half the window; zero for every open flow dropped at the onset.
    /// </summary>
    public TimeSpan? FleetChangeRollout() => String("fleet-change", "rolling") switch
    {
        "rolling" => null,
        "at-once" => TimeSpan.Zero,
        var other => throw new ArgumentException($"--fleet-change must be rolling or at-once (was {other})"),
    };

    /// <summary>How <see cref="FleetChangeRollout"/> reads in a benchmark's header.</summary>
    public string FleetChangeName => FleetChangeRollout() is null ? "fleet change rolling over half the fault window" : "every open flow dropped at the onset";
}
