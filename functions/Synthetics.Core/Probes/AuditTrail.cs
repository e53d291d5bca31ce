using System.Net.Http.Headers;

namespace Synthetics.Probes;

/// <summary>
/// The <c>Audit-ID</c> of each request a probe run sends to a Kubernetes API, as kubectl sends one: a fresh UUID per
/// request, which kube-apiserver writes into its audit log and echoes in its <c>Audit-Id</c> response header. Whether the
/// answer echoed it tells where a failed request failed: echoed, the API server itself answered; not echoed (no answer,
/// or an answer from something else), it failed before it, in the NodeBalancer or the network. That is the first thing
/// the provider's support asks, and the ID is what they can look up. A failed result carries the last request's
/// <c>details.auditId</c> and <c>details.auditIdEchoed</c>.
/// </summary>
public sealed class AuditTrail
{
    /// <summary>The request header; the API server answers with the same name (HTTP header names ignore case).</summary>
    public const string Header = "Audit-ID";

    private readonly Lock _lock = new();
    private string? _lastId;
    private bool _lastEchoed;

    /// <summary>Whether this run sent any request that carried an Audit-ID.</summary>
    public bool HasRequests
    {
        get
        {
            lock (_lock)
            {
                return _lastId is not null;
            }
        }
    }

    /// <summary>Gives <paramref name="request"/> a fresh Audit-ID and returns it.</summary>
    public string Stamp(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = Guid.NewGuid().ToString();
        request.Headers.Remove(Header);
        request.Headers.TryAddWithoutValidation(Header, id);
        lock (_lock)
        {
            (_lastId, _lastEchoed) = (id, false);
        }

        return id;
    }

    /// <summary>Records the answer to the request stamped <paramref name="id"/>: whether it echoed the ID.</summary>
    public void Answered(string id, HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var echoed = headers.TryGetValues(Header, out var values) && values.Contains(id, StringComparer.OrdinalIgnoreCase);
        lock (_lock)
        {
            if (_lastId == id)
            {
                _lastEchoed = echoed;
            }
        }
    }

    /// <summary>Puts the last request's Audit-ID, and whether the server echoed it, into the run's details.</summary>
    public void WriteTo(ProbeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        lock (_lock)
        {
            if (_lastId is null)
            {
                return;
            }

            context.SetDetail("auditId", _lastId);
            context.SetDetail("auditIdEchoed", _lastEchoed);
        }
    }
}
