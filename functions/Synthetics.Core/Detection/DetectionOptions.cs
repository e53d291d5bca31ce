namespace Synthetics.Detection;

/// <summary>How results become verdicts and incidents: the <c>Synthetics:Detection</c> section. Every interval and threshold is here.</summary>
public sealed class DetectionOptions
{
    /// <summary>
    /// How much of each vantage's recent probing one evaluation weighs: its cycles that started within this span before
    /// its newest stored one. An evaluation runs when new cycles are stored, and counts toward an incident only through
    /// runs no earlier evaluation judged, so the window can be longer than the evaluation interval without one bad cycle
    /// counting twice. Default three minutes: three cycles per vantage at the shipped one-minute cadence.
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// A longer window, ending where <see cref="Window"/> ends, over which failures are counted too: a thin fault (one
    /// new connection in a hundred failing) adds up to certainty over ten minutes where three cannot tell it from chance.
    /// Default ten minutes. At most <see cref="Window"/> + <see cref="BaselineWindow"/>.
    /// </summary>
    public TimeSpan LongWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// History before the window, read with it in one query every evaluation: the latency baselines (each probe's usual
    /// p90 per vantage) come from all of it, the target's usual failure rate from the part before <see cref="LongWindow"/>.
    /// Default an hour: fifty-three minutes of a target's own history, about six thousand requests per vantage with the
    /// disruption sampler on. The long window is compared with that history as a count, so the longer it is the surer
    /// the test: at twenty minutes a 1% fault took a minute longer to page, and up to five in unlucky seeds. A cycle
    /// stored later than this after it started is too old to judge: it is counted as late in the evaluation's report
    /// instead.
    /// </summary>
    public TimeSpan BaselineWindow { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>
    /// How often a probe cycle, while it runs, stores its disruption samples so far and looks at every vantage's
    /// (<see cref="Evaluator.LookAtCyclesInProgressAsync"/>): a provider-side incident beyond
    /// <see cref="InCycleAlpha"/> opens then, seconds after the onset, instead of after the cycle is stored and judged.
    /// Default five seconds: eight looks in the default 36 s of sampling, each a small write and one read per vantage (the
    /// history is read only when the samples so far show failures from several vantages); at ten, a simulated march-12
    /// paged 6 s later in the median. Zero turns it off.
    /// </summary>
    public TimeSpan InCycleEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A vantage whose newest stored cycle started longer ago than this has stopped producing: its targets get no-data
    /// verdicts, which is vantage health (the monitor's own problem), not the provider's. Default three minutes: a cycle
    /// that is merely slow (a minute-long cycle, a table service answering late) is stored well before.
    /// </summary>
    public TimeSpan SilentAfter { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// At least this share of a view's requests must fail (and <see cref="MinFailures"/> of them) before it can be
    /// degraded, whatever the test says: a target that usually never fails is not degraded by one failure in a thousand.
    /// Default 0.005.
    /// </summary>
    public double DegradedFailureRatio { get; set; } = 0.005;

    /// <summary>
    /// At least this many failed requests in the window before a target × vantage, or a target over all vantages, is
    /// degraded: one blip is not a trend. Default 3.
    /// </summary>
    public int MinFailures { get; set; } = 3;

    /// <summary>
    /// The failure rate a target is assumed to have before its own history says otherwise, weighed as
    /// <see cref="PriorAttempts"/> requests. Default 0.002: the Internet's background between an Azure region and a
    /// Linode one (0.1–0.3% of new connections).
    /// </summary>
    public double PriorFailureRate { get; set; } = 0.002;

    /// <summary>How many requests <see cref="PriorFailureRate"/> weighs against the target's own history. Default 1000.</summary>
    public int PriorAttempts { get; set; } = 1000;

    /// <summary>
    /// The chance below which failures are not the target's usual: a window (or the long window) whose failures the
    /// target's usual rate would produce less often than this is bad. Default 1e-6: about 40,000 evaluations a month,
    /// a dozen tests each, keeps chance from paging in years: the window's with <see cref="OpenAfter"/> in a row to open,
    /// the long window's at once, but a long window shares nine tenths of its requests with the next evaluation's, so its
    /// tests are about a tenth as many independent chances, and a chance streak of them would page on its second
    /// evaluation anyway. The long window is compared with the target's history as a count (the conditional test of two
    /// rates), so a quiet hour does not make chance look unusual; the window, judged at once against the usual rate,
    /// needs two evaluations in a row instead (0 false pages in 90 simulated healthy days).
    /// </summary>
    public double Alpha { get; set; } = 1e-6;

    /// <summary>
    /// Evidence this strong opens an incident at once, without waiting for <see cref="OpenAfter"/>: the fast burn of a
    /// multi-window alert. Default 1e-12: eight failed samples in seventy against a usual rate of 0.2%.
    /// </summary>
    public double ImmediateAlpha { get; set; } = 1e-12;

    /// <summary>
    /// The bar at which a look inside the cycle (<see cref="InCycleEvery"/>) opens a provider-side incident at once: failures
    /// from <see cref="MinAgreeingVantages"/> vantages, without the one that failed most, that the target's usual rate
    /// would produce less often than this. Between <see cref="ImmediateAlpha"/> and <see cref="Alpha"/>: a look opens
    /// without the second evaluation an evaluation's window waits for, so it needs stronger evidence than
    /// <see cref="Alpha"/>, but it judges samples seconds old, few of them, and a bar as high as
    /// <see cref="ImmediateAlpha"/> waits for enough samples that a fault beginning late in a cycle opens only in the next
    /// one. Default 1e-9: seven failed samples in seventy against a usual rate of 0.2%; a simulated march-12 paged within
    /// 60 s of its onset in every seed (72 s at 1e-12), and 90 simulated healthy days with their noise paged never.
    /// </summary>
    public double InCycleAlpha { get; set; } = 1e-9;

    /// <summary>
    /// The bar to keep an open provider-side incident open: failures from <see cref="MinAgreeingVantages"/> vantages that
    /// the usual rate would produce less often than this. Lower than the bar to open, so an intermittent fault that dips
    /// for a window does not resolve and page again. Default 0.01.
    /// </summary>
    public double SustainAlpha { get; set; } = 0.01;

    /// <summary>A target × vantage with at least this share of failed runs is down. Default 0.9.</summary>
    public double DownFailureRatio { get; set; } = 0.9;

    /// <summary>
    /// Share of a view's runs (a target from a vantage, over the window) that must be slow, with at least
    /// <see cref="MinFailures"/> of them, for the view to count as slow. Default 0.5: a provider's slowdown slows most of a
    /// control plane's connections (connect, TLS, health, API); the noise of a path or a host slows a few.
    /// </summary>
    public double SlowRunShare { get; set; } = 0.5;

    /// <summary>
    /// A successful run slower than its probe's usual p90 from the same vantage by this factor (and
    /// <see cref="LatencyFloorMs"/>) is slow. Against the p90, not the median: a target whose latency always has a long
    /// tail is compared with its own tail. Default 3.
    /// </summary>
    public double LatencyFactor { get; set; } = 3;

    /// <summary>Latency must also exceed the baseline by this many milliseconds, so fast targets do not page on noise. Default 200.</summary>
    public double LatencyFloorMs { get; set; } = 200;

    /// <summary>Runs a probe needs in the baseline (per vantage) before its latency is judged. Default 5.</summary>
    public int MinRunsForLatency { get; set; } = 5;

    /// <summary>Vantage points that must agree before a target's problem is the provider's. Default 2.</summary>
    public int MinAgreeingVantages { get; set; } = 2;

    /// <summary>
    /// Targets of one region with provider-side problems that make one regional incident: one agreed on by
    /// <see cref="MinAgreeingVantages"/>, the others at least failing from as many vantages (a fleet change shows thinly on
    /// a target with few probes). Default 2.
    /// </summary>
    public int RegionMinTargets { get; set; } = 2;

    /// <summary>
    /// Consecutive bad evaluations before an incident opens. Default 2. Failures beyond chance over the
    /// <see cref="LongWindow"/> open one at once: the next evaluation would read nine tenths of the same evidence again,
    /// so a second in a row confirms little.
    /// </summary>
    public int OpenAfter { get; set; } = 2;

    /// <summary>Consecutive good evaluations before an incident resolves. Default 3.</summary>
    public int ResolveAfter { get; set; } = 3;
}
