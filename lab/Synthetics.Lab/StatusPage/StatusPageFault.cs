namespace Synthetics.Lab.StatusPage;

/// <summary>How the lab's status page misbehaves for every request, as a client must survive it.</summary>
public enum StatusPageFault
{
    /// <summary>Answers as Statuspage does.</summary>
    None,

    /// <summary><c>500</c> with an HTML error page, as a CDN in front of a failing origin answers.</summary>
    ServerError,

    /// <summary><c>429</c> with <c>Retry-After</c> (<see cref="StatusPageServer.RetryAfterSeconds"/>).</summary>
    RateLimited,

    /// <summary>Answers correctly, after <see cref="StatusPageServer.SlowAnswerDelay"/> (longer than a client's timeout).</summary>
    SlowAnswer,

    /// <summary><c>200</c> with the JSON cut off mid-object, as a connection dropped mid-body leaves it.</summary>
    TruncatedJson,
}
