using k8s.Models;

namespace Synthetics.Lab.Kubernetes;

/// <summary>What a store operation did: a Lease, or the Status the API returns instead. A refusal is data, not an exception.</summary>
internal readonly record struct LeaseResult(V1Lease? Lease, ApiStatus? Error, bool Created = false)
{
    public static LeaseResult Fail(ApiStatus error) => new(null, error);
}
