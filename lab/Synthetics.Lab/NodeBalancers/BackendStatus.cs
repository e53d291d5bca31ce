using System.Net;

namespace Synthetics.Lab.NodeBalancers;

/// <summary>One backend as the NodeBalancer sees it: position in the round robin, address, and whether it takes traffic.</summary>
public sealed record BackendStatus(int Index, IPEndPoint Endpoint, bool IsUp);
