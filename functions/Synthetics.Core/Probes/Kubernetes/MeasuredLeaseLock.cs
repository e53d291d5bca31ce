using System.Net;
using k8s;
using k8s.Autorest;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;

namespace Synthetics.Probes.Kubernetes;

/// <summary>
/// KubernetesClient's <see cref="LeaseLock"/>, unchanged in what it reads and writes, with every API call timed and its
/// failure recorded (LeaseLock itself hides 409s). One deliberate difference: a call that fails below HTTP (a stall cut by
/// the call timeout, a reset) reaches the elector as a failed attempt, as in client-go, where the leader retries until its
/// renew deadline. Left as is, KubernetesClient's renew loop gives up leadership on the first such exception, which is not
/// what the controllers this canary stands for do. An answer that is not a Lease (checked by
/// <see cref="KubernetesAnswerCheck"/>, and here for a Lease without spec) is such a failed attempt too.
/// </summary>
internal sealed class MeasuredLeaseLock(
    IKubernetes client, string namespaceName, string name, LeaseCanaryRecorder recorder, Action<V1Lease> written, Action refused)
    : LeaseLock(client, namespaceName, name, recorder.Identity)
{
    protected override async Task<V1Lease> ReadMetaObjectAsync(IKubernetes client, string name, string namespaceParameter, CancellationToken cancellationToken)
    {
        recorder.AttemptStarted();
        try
        {
            var lease = await base.ReadMetaObjectAsync(client, name, namespaceParameter, cancellationToken);
            // LeaseLock reads lease.Spec unguarded: a 200 without metadata or spec would surface as a NullReferenceException.
            if (lease?.Metadata is null || lease.Spec is null)
            {
                throw new Synthetics.Probes.UnexpectedAnswerException("the canary Lease read answered a Lease without metadata or spec");
            }

            recorder.ReadCompleted(lease.Spec.HolderIdentity);
            return lease;
        }
        catch (Exception ex) when (Failed(ex, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    protected override async Task<V1Lease> CreateMetaObjectAsync(IKubernetes client, V1Lease obj, string namespaceParameter, CancellationToken cancellationToken)
    {
        try
        {
            var created = await base.CreateMetaObjectAsync(client, obj, namespaceParameter, cancellationToken);
            recorder.WriteSucceeded();
            written(created);
            return created;
        }
        catch (Exception ex) when (Failed(ex, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    protected override async Task<V1Lease> ReplaceMetaObjectAsync(IKubernetes client, V1Lease obj, string name, string namespaceParameter, CancellationToken cancellationToken)
    {
        try
        {
            var replaced = await base.ReplaceMetaObjectAsync(client, obj, name, namespaceParameter, cancellationToken);
            recorder.WriteSucceeded();
            written(replaced);
            return replaced;
        }
        catch (Exception ex) when (Failed(ex, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    // Records the failure and gives the exception the elector should see; null (rethrow as is) for our own cancellation.
    private HttpOperationException? Failed(Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        if (exception is HttpOperationException http)
        {
            var status = (int?)http.Response?.StatusCode;
            recorder.CallFailed(http, status);
            if (status is 401 or 403)
            {
                // Retrying cannot fix credentials: holding on would only spend the invocation's budget.
                refused();
            }

            return http;
        }

        recorder.CallFailed(exception, null);
        return new HttpOperationException("Lease call failed below HTTP or with an answer that is not a Lease", exception)
        {
            Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable), string.Empty),
        };
    }
}
