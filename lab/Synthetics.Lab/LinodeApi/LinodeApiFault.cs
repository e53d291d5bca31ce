namespace Synthetics.Lab.LinodeApi;

/// <summary>How the lab's Linode API misbehaves for every authorized request, as a client must survive it.</summary>
public enum LinodeApiFault
{
    /// <summary>Answers as the spec says.</summary>
    None,

    /// <summary>
    /// <c>403</c> with the API's body for a token that lacks the endpoint's scope (a token made without
    /// <c>lke:read_only</c> or <c>nodebalancers:read_only</c>).
    /// </summary>
    Forbidden,

    /// <summary><c>500</c> with the API's error body, as during an API outage.</summary>
    ServerError,

    /// <summary>Answers correctly, after <see cref="LinodeApiServer.SlowAnswerDelay"/>.</summary>
    SlowAnswer,

    /// <summary><c>200</c> with JSON cut off mid-object, as a connection dropped by a proxy mid-body leaves it.</summary>
    TruncatedJson,

    /// <summary><c>200</c> with well-formed JSON of the wrong shape (<c>data</c> not a list, no <c>pages</c>).</summary>
    WrongShape,
}
