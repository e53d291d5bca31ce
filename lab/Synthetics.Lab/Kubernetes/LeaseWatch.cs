using System.Threading.Channels;

namespace Synthetics.Lab.Kubernetes;

/// <summary>A live subscription to Lease changes; disposing it stops delivery.</summary>
internal sealed class LeaseWatch : IDisposable
{
    private readonly Channel<LeaseEvent> _events = Channel.CreateUnbounded<LeaseEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly Action<LeaseWatch> _unsubscribe;

    public LeaseWatch(string? namespaceName, LeaseSelector selector, Action<LeaseWatch> unsubscribe)
    {
        Namespace = namespaceName;
        Selector = selector;
        _unsubscribe = unsubscribe;
    }

    public string? Namespace { get; }

    public LeaseSelector Selector { get; }

    public ChannelReader<LeaseEvent> Events => _events.Reader;

    public bool Wants(LeaseEvent change) =>
        (Namespace is null || change.Lease.Metadata.NamespaceProperty == Namespace) && Selector.Matches(change.Lease);

    public void Deliver(LeaseEvent change)
    {
        if (Wants(change))
        {
            _events.Writer.TryWrite(change);
        }
    }

    public void Dispose()
    {
        _unsubscribe(this);
        _events.Writer.TryComplete();
    }
}
