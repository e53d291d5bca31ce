namespace Synthetics.Lab.LinodeApi;

/// <summary>A cluster's control-plane ACL (<c>control_plane.acl</c>, <c>GET …/control_plane_acl</c>).</summary>
public sealed record LkeControlPlaneAcl
{
    /// <summary>True: default policy DENY, only the addresses may reach the control plane.</summary>
    public bool Enabled { get; init; } = true;

    public IReadOnlyList<string> Ipv4 { get; init; } = [];

    public IReadOnlyList<string> Ipv6 { get; init; } = [];

    public string RevisionId { get; init; } = "lab";
}
