using k8s.Autorest;
using Synthetics.Results;

namespace Synthetics.Probes.Kubernetes;

/// <summary>An API answer that is well-formed but refuses the request: an outcome with the status, never the body.</summary>
internal static class ApiFailure
{
    public static ProbeObservation From(HttpOperationException exception, string what)
    {
        var status = (int?)exception.Response?.StatusCode;
        return status is 401 or 403
            ? new(ProbeOutcome.Unauthorized)
            {
                StatusCode = status,
                Message = $"the API server refused the canary identity ({status}) for {what}: check infra/k8s/canary-rbac.yaml",
            }
            : new(ProbeOutcome.HttpStatus) { StatusCode = status, Message = $"{what} answered {status}" };
    }

    /// <summary>A call cut by the client's own bound (<c>HttpClientTimeout</c>), not by the probe's timeout.</summary>
    public static ProbeObservation CallTimedOut(TimeSpan callTimeout, string what) => new(ProbeOutcome.Timeout)
    {
        Message = $"{what} got no answer within the {callTimeout.TotalSeconds:0.###} s API call timeout",
    };
}
