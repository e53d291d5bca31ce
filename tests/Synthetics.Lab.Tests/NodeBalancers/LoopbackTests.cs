namespace Synthetics.Lab.Tests.NodeBalancers;

/// <summary>
/// Socket-heavy and timing-sensitive NodeBalancer tests run one class at a time: on a 2-core machine a
/// thousand-connection share test next to a ±5 ms latency test would measure the scheduler, not the fault.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoopbackTests
{
    public const string Name = "Loopback NodeBalancer";
}
