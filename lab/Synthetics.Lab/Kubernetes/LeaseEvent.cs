using k8s.Models;

namespace Synthetics.Lab.Kubernetes;

/// <summary>One change to a Lease, as a watch delivers it. <see cref="Lease"/> is never mutated after publication.</summary>
internal sealed record LeaseEvent(string Type, V1Lease Lease, long ResourceVersion)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
}
