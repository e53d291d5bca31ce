namespace Synthetics.Benchmarks;

/// <summary>
/// The comparison everyone already has: an Application Insights standard availability test (one HTTP GET of the site
/// behind the NodeBalancer per location every 5 minutes, the portal's default frequency) with the portal's availability
/// alert (failed locations ≥ N within a 5-minute window, evaluated every minute). Each test is one new connection
/// through the same NodeBalancer, so the scenario's stall and reset shares apply; a stalled test fails whatever its
/// timeout. With retries (the portal's default) a test fails only if its attempt and two retries 20 s apart all fail.
/// </summary>
internal sealed record DetectionAvailabilityAlert(string Name, int FailedLocations, bool Retries)
{
    public static readonly TimeSpan Frequency = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan AlertWindow = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(20);

    // The lab's NodeBalancer closes a stalled connection after 12 s: the test learns it failed then.
    private static readonly TimeSpan FailureSeenAfter = TimeSpan.FromSeconds(12);

    public const int Locations = 3;

    /// <summary>The minutes (simulated) at which the alert went from quiet to fired.</summary>
    public List<double> Fires(DetectionScenario scenario, string region, int seed, int minutes)
    {
        // Its own stream: the test's connections are not the probes' connections.
        var random = new Random(unchecked((seed * 7919) + 17));
        var failures = new List<(int Location, double Minute)>();
        for (var location = 0; location < Locations; location++)
        {
            // Each location's schedule has its own phase, as the service spreads them.
            var phase = random.NextDouble() * Frequency.TotalMinutes;
            for (var test = phase - Frequency.TotalMinutes; test < minutes; test += Frequency.TotalMinutes)
            {
                var attempts = Retries ? 3 : 1;
                var failed = true;
                var attempt = 0;
                for (; attempt < attempts && failed; attempt++)
                {
                    failed = Fails(scenario, region, test + (attempt * RetryAfter.TotalMinutes), random);
                }

                if (failed)
                {
                    failures.Add((location, test + ((attempt - 1) * RetryAfter.TotalMinutes) + FailureSeenAfter.TotalMinutes));
                }
            }
        }

        var fires = new List<double>();
        var firing = false;
        for (var evaluation = 1; evaluation <= minutes; evaluation++)
        {
            var failedLocations = failures
                .Where(f => f.Minute > evaluation - AlertWindow.TotalMinutes && f.Minute <= evaluation)
                .Select(f => f.Location)
                .Distinct()
                .Count();
            var now = failedLocations >= FailedLocations;
            if (now && !firing)
            {
                fires.Add(evaluation);
            }

            firing = now;
        }

        return fires;
    }

    private static bool Fails(DetectionScenario scenario, string region, double minute, Random random)
    {
        // A test agent's own network is not a vantage of ours: only the region's fault and the background apply.
        var faulted = scenario.FaultRegion is not null && scenario.Touches(minute, region, vantage: null);
        var share = (faulted ? scenario.StallShare + scenario.ResetShare : 0) + scenario.NoiseShare;
        return random.NextDouble() < share;
    }
}
