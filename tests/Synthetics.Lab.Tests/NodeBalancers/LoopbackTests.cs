namespace Synthetics.Lab.Tests.NodeBalancers;

/// <summary>
/// Socket-heavy NodeBalancer tests run one class at a time: on a 2-core machine a thousand-connection share test
/// next to the others would starve their clients of the patience they are given.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoopbackTests
{
    public const string Name = "Loopback NodeBalancer";
}
