using System.Net;
using k8s;
using k8s.Autorest;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;

namespace Synthetics.Lab.Kubernetes;

/// <summary>
/// KubernetesClient's <see cref="LeaseLock"/>, reading and writing the same, where a call that fails below HTTP (a reset,
/// a connection that could not be established) is a failed attempt, as in client-go: the leader retries every retry
/// period until its renew deadline. Left as is, KubernetesClient's renew loop gives up leadership on the first such
/// exception, which cert-manager does not. Remembers the last failure, so a loss can say what the renewals met.
/// </summary>
internal sealed class BystanderLeaseLock(IKubernetes client, string namespaceName, string name, string identity, TimeProvider time)
    : LeaseLock(client, namespaceName, name, identity)
{
    private readonly Lock _gate = new();
    private string? _lastFailure;
    private DateTimeOffset? _callStartedAt;

    /// <summary>What the last failed call met, or null when none failed.</summary>
    public string? LastFailure
    {
        get
        {
            lock (_gate)
            {
                return _lastFailure;
            }
        }
    }

    /// <summary>When the call still waiting for an answer started, or null when none is.</summary>
    public DateTimeOffset? CallStartedAt
    {
        get
        {
            lock (_gate)
            {
                return _callStartedAt;
            }
        }
    }

    protected override Task<V1Lease> ReadMetaObjectAsync(IKubernetes client, string name, string namespaceParameter, CancellationToken cancellationToken) =>
        CallAsync(() => base.ReadMetaObjectAsync(client, name, namespaceParameter, cancellationToken), cancellationToken);

    protected override Task<V1Lease> CreateMetaObjectAsync(IKubernetes client, V1Lease obj, string namespaceParameter, CancellationToken cancellationToken) =>
        CallAsync(() => base.CreateMetaObjectAsync(client, obj, namespaceParameter, cancellationToken), cancellationToken);

    protected override Task<V1Lease> ReplaceMetaObjectAsync(IKubernetes client, V1Lease obj, string name, string namespaceParameter, CancellationToken cancellationToken) =>
        CallAsync(() => base.ReplaceMetaObjectAsync(client, obj, name, namespaceParameter, cancellationToken), cancellationToken);

    private async Task<V1Lease> CallAsync(Func<Task<V1Lease>> call, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _callStartedAt = time.GetUtcNow();
        }

        try
        {
            return await call();
        }
        catch (HttpOperationException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A 404 on the first read is how the Lease gets created: not a failure.
            if (ex.Response?.StatusCode is not HttpStatusCode.NotFound)
            {
                Failed($"HTTP {(int?)ex.Response?.StatusCode}");
            }

            throw;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            Failed($"{ex.GetType().Name}: {ex.GetBaseException().Message}");
            throw new HttpOperationException("Lease call failed below HTTP", ex)
            {
                Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable), string.Empty),
            };
        }
        finally
        {
            lock (_gate)
            {
                _callStartedAt = null;
            }
        }
    }

    private void Failed(string what)
    {
        lock (_gate)
        {
            _lastFailure = what;
        }
    }
}
