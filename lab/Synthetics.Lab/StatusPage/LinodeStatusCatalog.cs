namespace Synthetics.Lab.StatusPage;

/// <summary>
/// The components of status.linode.com as captured in 2021 (reference/statuspage/linode-components.json):
/// real ids, names (including the stray double space in "EU-Central (Frankfurt)  NodeBalancers"), groups
/// and positions, so a client parsing the lab parses what Linode serves.
/// </summary>
internal static class LinodeStatusCatalog
{
    public const string PageId = "8dn0wstr1chc";

    public const string PageName = "Linode";

    public const string PageUrl = "https://status.linode.com";

    public const string TimeZone = "Etc/UTC";

    public static readonly IReadOnlyList<CatalogComponent> Components =
    [
        new("tyb1r72rvfrx", "US-East (Newark) Backups", "drpn3k8bk56t", false, 1, "2018-09-12T18:02:55.596Z"),
        new("3382rw9rdyby", "US-East (Newark) NodeBalancers", "7q62h0wl818b", false, 1, "2018-09-12T17:59:44.017Z"),
        new("qx710vq78w73", "Linode.com", null, false, 1, "2018-09-12T17:50:34.088Z"),
        new("q55c1gfpf7m4", "US-East (Newark) Object Storage", "4bvp5l14grs6", false, 1, "2019-10-30T16:08:53.505Z"),
        new("v8zpnn61fcdm", "US-East (Newark)", "kb0cf2d0rryb", false, 1, "2014-03-13T15:47:50.476Z"),
        new("bv6jc1sr32l5", "US-East (Newark) Linode Kubernetes Engine", "lplvcng25jv0", false, 1, "2020-04-13T20:09:48.651Z"),
        new("zq4h2zstlwhz", "US-East (Newark) Block Storage", "m5wrr6m00mvh", false, 1, "2018-09-12T17:54:53.591Z"),
        new("s8355f9s5hpx", "US-Central (Dallas)", "kb0cf2d0rryb", false, 2, "2014-03-13T16:11:17.462Z"),
        new("gwsl8rcc9jmh", "US-Central (Dallas) Linode Kubernetes Engine", "lplvcng25jv0", false, 2, "2020-02-20T17:31:44.704Z"),
        new("j256v14cqldk", "US-Central (Dallas) Block Storage", "m5wrr6m00mvh", false, 2, "2018-09-12T17:55:17.824Z"),
        new("kprtdgjdqfx5", "US-Central (Dallas) Backups", "drpn3k8bk56t", false, 2, "2018-09-12T18:03:08.226Z"),
        new("zm7300chzddp", "EU-Central (Frankfurt) Object Storage", "4bvp5l14grs6", false, 2, "2020-02-28T16:29:36.062Z"),
        new("61mfhwczrxzt", "Linode Manager and API", null, false, 2, "2014-03-13T15:38:54.572Z"),
        new("jyl125r91hhl", "US-Central (Dallas) NodeBalancers", "7q62h0wl818b", false, 2, "2018-09-12T18:00:12.917Z"),
        new("fvq65tvc6vk2", "US-West (Fremont) Block Storage", "m5wrr6m00mvh", false, 3, "2018-09-12T17:55:47.966Z"),
        new("v5mcdxdt9dtv", "US-West (Fremont)", "kb0cf2d0rryb", false, 3, "2014-03-13T16:11:33.091Z"),
        new("gqlf5lr6g4xj", "US-West (Fremont) NodeBalancers", "7q62h0wl818b", false, 3, "2018-09-12T18:00:26.668Z"),
        new("xd4qzq00pq6b", "US-West (Fremont) Linode Kubernetes Engine", "lplvcng25jv0", false, 3, "2020-04-13T20:10:55.742Z"),
        new("mmgkdgcjgnbl", "Hosted DNS Service", null, false, 3, "2016-01-04T18:48:11.136Z"),
        new("l8y4k4tz708b", "AP-South (Singapore) Object Storage", "4bvp5l14grs6", false, 3, "2020-06-23T16:49:50.696Z"),
        new("4ny59fgq6cln", "US-West (Fremont) Backups", "drpn3k8bk56t", false, 3, "2018-09-12T18:03:23.802Z"),
        new("sc9zctkdfwsp", "CA-Central (Toronto) Linode Kubernetes Engine", "lplvcng25jv0", false, 4, "2020-06-09T11:59:35.514Z"),
        new("ss2n92gy5xkk", "US-Southeast (Atlanta)", "kb0cf2d0rryb", false, 4, "2014-03-13T15:48:00.249Z"),
        new("qczfz4brkf1b", "US-Southeast (Atlanta) Backups", "drpn3k8bk56t", false, 4, "2018-09-12T18:03:36.010Z"),
        new("y5gcmn9bstbg", "US-Southeast (Atlanta) Object Storage", "4bvp5l14grs6", false, 4, "2021-08-25T22:18:25.608Z"),
        new("v3rbxq0mztjx", "Longview", null, false, 4, "2018-11-19T20:19:30.287Z"),
        new("362rg0lr43dz", "US-Southeast (Atlanta) NodeBalancers", "7q62h0wl818b", false, 4, "2018-09-12T18:00:39.433Z"),
        new("wh3l2nzfvrj6", "CA-Central (Toronto) Block Storage", "m5wrr6m00mvh", false, 4, "2019-05-07T22:34:39.497Z"),
        new("ptln4fx0jhrt", "CA-Central (Toronto)", "kb0cf2d0rryb", false, 5, "2019-05-07T22:33:48.323Z"),
        new("kb0cf2d0rryb", "Regions", null, true, 5, "2018-09-12T17:43:30.741Z"),
        new("fmy3yfmxmcx6", "EU-West (London) Block Storage", "m5wrr6m00mvh", false, 5, "2018-09-12T17:56:25.201Z"),
        new("l9plxr7kgdtp", "CA-Central (Toronto) Backups", "drpn3k8bk56t", false, 5, "2019-05-07T22:35:48.727Z"),
        new("p2jqcf059vgf", "EU-West (London) Linode Kubernetes Engine", "lplvcng25jv0", false, 5, "2020-05-20T21:15:33.081Z"),
        new("l3w6b1ck9f5h", "CA-Central (Toronto) NodeBalancers", "7q62h0wl818b", false, 5, "2019-05-07T22:35:11.882Z"),
        new("jzjmxld11n92", "EU-West (London)", "kb0cf2d0rryb", false, 6, "2014-03-13T16:10:44.848Z"),
        new("c45ljxpwx5m4", "EU-West (London) NodeBalancers", "7q62h0wl818b", false, 6, "2018-09-12T18:01:02.460Z"),
        new("drpn3k8bk56t", "Backups", null, true, 6, "2018-09-12T18:02:55.580Z"),
        new("f5g6kbf5tnf2", "EU-Central (Frankfurt) Linode Kubernetes Engine", "lplvcng25jv0", false, 6, "2020-05-20T21:16:01.991Z"),
        new("1bdfwxqf66rj", "EU-West (London) Backups", "drpn3k8bk56t", false, 6, "2018-09-12T18:04:00.733Z"),
        new("h3p36ttc972l", "EU-Central (Frankfurt) Block Storage", "m5wrr6m00mvh", false, 6, "2018-09-12T17:56:45.273Z"),
        new("wzr2h8y6b14r", "AP-South (Singapore) Linode Kubernetes Engine", "lplvcng25jv0", false, 7, "2020-06-01T20:44:07.878Z"),
        new("y2slqzr87kdz", "EU-Central (Frankfurt)  NodeBalancers", "7q62h0wl818b", false, 7, "2018-09-12T18:01:24.833Z"),
        new("6y55232d871t", "AP-South (Singapore) Block Storage", "m5wrr6m00mvh", false, 7, "2018-09-12T17:57:08.027Z"),
        new("24vh5f8lfkld", "EU-Central (Frankfurt) Backups", "drpn3k8bk56t", false, 7, "2018-09-12T18:04:13.203Z"),
        new("m5wrr6m00mvh", "Block Storage", null, true, 7, "2018-09-12T17:54:53.576Z"),
        new("bxcfhjdf5c4k", "EU-Central (Frankfurt)", "kb0cf2d0rryb", false, 7, "2015-07-30T17:13:42.489Z"),
        new("gdvwymjjd06s", "AP-Northeast-2 (Tokyo 2) Linode Kubernetes Engine", "lplvcng25jv0", false, 8, "2020-05-20T21:20:57.019Z"),
        new("ymhgjx06c93n", "AP-South (Singapore)", "kb0cf2d0rryb", false, 8, "2015-04-27T13:55:55.924Z"),
        new("1x47wvj7sk31", "AP-South (Singapore) Backups", "drpn3k8bk56t", false, 8, "2018-09-12T18:04:32.832Z"),
        new("kdrjlntx44yj", "AP-Northeast-2 (Tokyo 2) Block Storage", "m5wrr6m00mvh", false, 8, "2018-11-07T22:01:56.729Z"),
        new("7q62h0wl818b", "NodeBalancers", null, true, 8, "2018-09-12T17:59:44.000Z"),
        new("pyg6cyddyh92", "AP-South (Singapore) NodeBalancers", "7q62h0wl818b", false, 8, "2018-09-12T18:01:57.855Z"),
        new("0r45ydtwlrz3", "AP-West (Mumbai) Linode Kubernetes Engine", "lplvcng25jv0", false, 9, "2020-06-09T12:00:44.985Z"),
        new("4bvp5l14grs6", "Object Storage", null, true, 9, "2019-10-30T16:08:53.495Z"),
        new("q9b5j34kd21x", "AP-West (Mumbai) Block Storage", "m5wrr6m00mvh", false, 9, "2019-07-26T21:58:37.356Z"),
        new("c3m26py2z00j", "AP-Northeast-2 (Tokyo 2) NodeBalancers", "7q62h0wl818b", false, 10, "2018-09-12T18:02:31.029Z"),
        new("mzvhlfd50msv", "AP-Southeast (Sydney) Linode Kubernetes Engine", "lplvcng25jv0", false, 10, "2020-04-13T20:12:08.879Z"),
        new("99qq411dqngl", "AP-Northeast-2 (Tokyo 2) Backups", "drpn3k8bk56t", false, 10, "2018-09-12T18:04:56.506Z"),
        new("vz46kd91my1k", "AP-Southeast (Sydney) Block Storage", "m5wrr6m00mvh", false, 10, "2021-08-13T01:07:41.503Z"),
        new("94q3fkblbvs3", "AP-Northeast-2 (Tokyo 2)", "kb0cf2d0rryb", false, 10, "2016-11-23T12:35:12.420Z"),
        new("lplvcng25jv0", "Linode Kubernetes Engine", null, true, 10, "2020-02-20T17:31:44.697Z"),
        new("fb81v7x1rjd1", "AP-West (Mumbai) NodeBalancers", "7q62h0wl818b", false, 11, "2019-07-26T21:59:46.588Z"),
        new("gpfk34v7m7bx", "AP-West (Mumbai) Backups", "drpn3k8bk56t", false, 11, "2019-07-26T22:00:33.471Z"),
        new("9clykhgs02xl", "US-Southeast (Atlanta) Block Storage", "m5wrr6m00mvh", false, 11, "2021-08-25T22:17:18.056Z"),
        new("cc7n9z4yz3gw", "AP-West (Mumbai)", "kb0cf2d0rryb", false, 11, "2019-07-26T21:57:50.373Z"),
        new("n2sbx9jll8cz", "AP-Southeast (Sydney) NodeBalancers", "7q62h0wl818b", false, 12, "2019-11-14T15:02:38.624Z"),
        new("dfdf5d1hcrkt", "AP-Southeast (Sydney) Backups", "drpn3k8bk56t", false, 12, "2019-11-14T15:03:24.595Z"),
        new("lq833jghn099", "AP-Southeast (Sydney)", "kb0cf2d0rryb", false, 12, "2019-11-14T14:58:26.890Z"),
    ];

    /// <param name="Id">The Statuspage component id.</param>
    /// <param name="Name">The display name, e.g. <c>CA-Central (Toronto) NodeBalancers</c>.</param>
    /// <param name="GroupId">The group it belongs to, or null for a top-level component or a group.</param>
    /// <param name="IsGroup">Whether this is a group (Regions, NodeBalancers, Linode Kubernetes Engine…).</param>
    /// <param name="Position">Order within its group.</param>
    /// <param name="CreatedAt">When Linode created it, as served.</param>
    internal sealed record CatalogComponent(string Id, string Name, string? GroupId, bool IsGroup, int Position, string CreatedAt);
}
