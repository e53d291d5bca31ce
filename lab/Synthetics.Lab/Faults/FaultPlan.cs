using System.Text.Json.Serialization;

namespace Synthetics.Lab.Faults;

/// <summary>
/// What a NodeBalancer does wrong to NEW connections (and, for <see cref="CutAfterMin"/>, to open ones),
/// modelled on the March-12 ca-central incident: a share of new connections stalled for ~12 s, a smaller
/// share reset, long-lived watches cut after 30–90 s. Immutable; serialized camelCase, durations as
/// <c>"hh:mm:ss.fff"</c> strings. The default instance (<see cref="None"/>) forwards everything untouched.
/// </summary>
public sealed record FaultPlan
{
    /// <summary>No fault: every connection is forwarded at once.</summary>
    public static FaultPlan None { get; } = new();

    /// <summary>Added after the client's connection is accepted and before the backend is dialled. Default zero.</summary>
    public TimeSpan ConnectLatency { get; init; }

    /// <summary>Share (0–1) of new connections accepted and then starved of bytes for <see cref="StallDuration"/>. Default 0.</summary>
    public double StallShare { get; init; }

    /// <summary>
    /// How long a stalled connection gets no bytes through; afterwards the NodeBalancer closes it (FIN), which
    /// is what clients saw after ~12 s. A client that gives up earlier ends the stall early. Default 12 s.
    /// </summary>
    public TimeSpan StallDuration { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>Share (0–1) of new connections accepted and then reset (RST). Default 0. StallShare + ResetShare ≤ 1.</summary>
    public double ResetShare { get; init; }

    /// <summary>Delay before the first bytes from the backend (the server's TLS handshake answer) reach the client. Default zero.</summary>
    public TimeSpan TlsHandshakeDelay { get; init; }

    /// <summary>
    /// With <see cref="CutAfterMax"/>: forwarded connections are reset after a uniformly random time in
    /// [min, max], counted from when they were forwarded or from when this plan was applied, whichever is later.
    /// Both null (default) means never cut.
    /// </summary>
    public TimeSpan? CutAfterMin { get; init; }

    /// <summary>Upper bound of the cut range; see <see cref="CutAfterMin"/>.</summary>
    public TimeSpan? CutAfterMax { get; init; }

    /// <summary>
    /// When the plan is applied, every connection already forwarded loses its flow silently: from then on nothing
    /// passes either way and the client gets neither FIN nor RST, so it learns of it only from its own timeout. That is
    /// what a fleet change does to established connections when the new NodeBalancer instances do not know their flows
    /// and drop their packets. Connections accepted later are not affected. A dropped connection stays silent until a
    /// plan without this flag takes over (the fault ends): then it is reset, as the client's TCP stack would give up on
    /// the unacknowledged flow in the end. Default false.
    /// </summary>
    public bool DropOpenFlows { get; init; }

    /// <summary>
    /// With <see cref="DropOpenFlows"/>: the fleet change rolls over the NodeBalancer's instances for this long instead
    /// of reaching them all at once. Each flow lives on one instance and is dropped when that instance is replaced: at a
    /// uniformly random moment in [applied, applied + this], for the connections open when the plan was applied and
    /// for those accepted later alike; a connection accepted after its moment landed on an instance already replaced
    /// and keeps its flow. Null (default): every open flow is dropped when the plan is applied.
    /// </summary>
    public TimeSpan? DropOpenFlowsOver { get; init; }

    /// <summary>
    /// New connections per second each client identity (vantage listener) may open; a token bucket with a
    /// burst of one second's worth. Null (default) means unthrottled.
    /// </summary>
    public double? NewConnectionsPerSecondPerClient { get; init; }

    /// <summary>What happens to a connection above the throttle rate. Default <see cref="ThrottleAction.Reset"/>.</summary>
    public ThrottleAction ThrottleAction { get; init; } = ThrottleAction.Reset;

    /// <summary>
    /// Every connection is accepted and then gets nothing until the client gives up, as for a vantage that
    /// lost its path to the NodeBalancer. Overrides every other field. Default false.
    /// </summary>
    public bool Blackhole { get; init; }

    /// <summary>True when the plan changes nothing.</summary>
    [JsonIgnore]
    public bool IsNone => this == None;

    /// <summary>The first rule the plan breaks, naming the camelCase field, or null when the plan is valid.</summary>
    public FaultPlanError? Validate()
    {
        if (ConnectLatency < TimeSpan.Zero)
        {
            return new("connectLatency", "must not be negative");
        }

        if (!IsShare(StallShare))
        {
            return new("stallShare", "must be between 0 and 1");
        }

        if (StallDuration < TimeSpan.Zero)
        {
            return new("stallDuration", "must not be negative");
        }

        if (!IsShare(ResetShare))
        {
            return new("resetShare", "must be between 0 and 1");
        }

        if (StallShare + ResetShare > 1)
        {
            return new("resetShare", "stallShare + resetShare must not exceed 1");
        }

        if (TlsHandshakeDelay < TimeSpan.Zero)
        {
            return new("tlsHandshakeDelay", "must not be negative");
        }

        if (CutAfterMin.HasValue != CutAfterMax.HasValue)
        {
            return new(CutAfterMin.HasValue ? "cutAfterMax" : "cutAfterMin", "cutAfterMin and cutAfterMax go together");
        }

        if (CutAfterMin < TimeSpan.Zero)
        {
            return new("cutAfterMin", "must not be negative");
        }

        if (CutAfterMax < CutAfterMin)
        {
            return new("cutAfterMax", "must not be less than cutAfterMin");
        }

        if (DropOpenFlowsOver is { } over && (over < TimeSpan.Zero || !DropOpenFlows))
        {
            return new("dropOpenFlowsOver", over < TimeSpan.Zero ? "must not be negative" : "needs dropOpenFlows");
        }

        if (NewConnectionsPerSecondPerClient is { } rate && (double.IsNaN(rate) || rate <= 0 || double.IsInfinity(rate)))
        {
            return new("newConnectionsPerSecondPerClient", "must be a positive number");
        }

        if (!Enum.IsDefined(ThrottleAction))
        {
            return new("throttleAction", "must be reset or delay");
        }

        return null;
    }

    private static bool IsShare(double value) => value is >= 0 and <= 1;
}
