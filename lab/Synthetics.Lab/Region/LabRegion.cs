using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Synthetics.Lab.Certificates;
using Synthetics.Lab.Hosting;
using Synthetics.Lab.Kubernetes;
using Synthetics.Lab.LinodeApi;
using Synthetics.Lab.NodeBalancers;
using Synthetics.Lab.Scenarios;
using Synthetics.Lab.StatusPage;
using Synthetics.Lab.Telemetry;
using Synthetics.Lab.Web;
using NodeBalancer = Synthetics.Lab.NodeBalancers.NodeBalancer;

namespace Synthetics.Lab.Region;

/// <summary>
/// One local "LKE region set" on 127.0.0.1: two Linode regions (<c>ca-central</c>, <c>us-east</c>), each with an LKE
/// cluster behind a control-plane NodeBalancer, a web NodeBalancer in front of a backend pool in ca-central, the
/// Linode API describing all of it, the status page, an Application Insights ingestion receiver and an admin app
/// (NodeBalancer faults, the scenario). Vantage points are NodeBalancer listeners: clients of a vantage connect to
/// that vantage's endpoint, so a fault can hit one vantage alone.
/// </summary>
public sealed partial class LabRegion : IAsyncDisposable
{
    /// <summary>The Linode region of the March-12 incident.</summary>
    public const string CaCentral = "ca-central";

    /// <summary>The Linode region that stays healthy in every scenario but its own.</summary>
    public const string UsEast = "us-east";

    /// <summary>The label of ca-central's web NodeBalancer, in the lab and in its Linode API.</summary>
    public const string WebNodeBalancerLabel = "ca-web";

    private const string WebLabel = WebNodeBalancerLabel;

    private readonly LabRegionOptions _options;
    private readonly ILogger _logger;
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<IDisposable> _authorities = [];
    private readonly List<long> _webNodeIds = [];
    private readonly Dictionary<string, NodeBalancer> _nodeBalancers = new(StringComparer.Ordinal);
    private LabCluster[] _clusters = [];
    private BystanderController[] _bystanders = [];
    private CertificateAuthority? _webAuthority;
    private WebBackendPool? _webBackends;
    private LinodeApiServer? _linodeApi;
    private StatusPageServer? _statusPage;
    private IngestionReceiver? _ingestion;
    private LoopbackWebApp? _admin;
    private int _disposed;

    private LabRegion(LabRegionOptions options)
    {
        _options = options;
        _logger = options.LoggerFactory?.CreateLogger<LabRegion>() ?? NullLogger<LabRegion>.Instance;
        Vantages = [.. options.Vantages];
        LinodeApiToken = NewToken();
        IngestionInstrumentationKey = InstrumentationKeyFrom(options.Seed);
    }

    /// <summary>Vantage names in the order given; the first is the one <c>synthetics.json</c> is written for.</summary>
    public IReadOnlyList<string> Vantages { get; }

    /// <summary>The clock every part and the scenario run on.</summary>
    public TimeProvider TimeProvider => _options.TimeProvider;

    /// <summary>The clusters: ca-central (<c>ca-prod</c>) first, then us-east (<c>us-prod</c>).</summary>
    public IReadOnlyList<LabCluster> Clusters => _clusters;

    /// <summary>
    /// The bystander controllers, one per cluster in <see cref="Clusters"/> order (none when
    /// <see cref="LabRegionOptions.Bystanders"/> is off): cert-manager's leader election through each control-plane
    /// NodeBalancer, with every lost and regained election.
    /// </summary>
    public IReadOnlyList<BystanderController> Bystanders => _bystanders;

    /// <summary>The bystander of the cluster in <paramref name="linodeRegion"/>.</summary>
    public BystanderController GetBystander(string linodeRegion) =>
        _bystanders.FirstOrDefault(b => b.LinodeRegion == linodeRegion)
        ?? throw new KeyNotFoundException($"The lab region has no bystander in '{linodeRegion}'.");

    /// <summary>Every NodeBalancer by label: <c>ca-prod-cp</c>, <c>us-prod-cp</c>, <c>ca-web</c>.</summary>
    public IReadOnlyDictionary<string, NodeBalancer> NodeBalancers => _nodeBalancers;

    /// <summary>The ca-central web NodeBalancer (TCP pass-through; TLS ends at the backends).</summary>
    public NodeBalancer WebNodeBalancer => _nodeBalancers[WebLabel];

    /// <summary>The HTTPS backends behind <see cref="WebNodeBalancer"/>.</summary>
    public WebBackendPool WebBackends => _webBackends ?? throw NotStarted();

    /// <summary>The CA that issued the web backends' certificate, as PEM (what <c>CaFile</c> trusts).</summary>
    public string WebCaPem => (_webAuthority ?? throw NotStarted()).CertificatePem;

    /// <summary>The Linode API describing the region's clusters and NodeBalancers.</summary>
    public LinodeApiServer LinodeApi => _linodeApi ?? throw NotStarted();

    /// <summary>The token the Linode API accepts. A lab secret: written to <c>lab.json</c>, never printed.</summary>
    public string LinodeApiToken { get; }

    /// <summary>status.linode.com's JSON.</summary>
    public StatusPageServer StatusPage => _statusPage ?? throw NotStarted();

    /// <summary>The Application Insights ingestion endpoint.</summary>
    public IngestionReceiver Ingestion => _ingestion ?? throw NotStarted();

    /// <summary>The instrumentation key of <see cref="IngestionConnectionString"/>, derived from the seed.</summary>
    public Guid IngestionInstrumentationKey { get; }

    /// <summary>A connection string that sends telemetry to <see cref="Ingestion"/>.</summary>
    public string IngestionConnectionString => Ingestion.ConnectionString(IngestionInstrumentationKey);

    /// <summary>The admin app root, e.g. <c>http://127.0.0.1:41234/</c>: <c>admin/nodebalancers</c>, <c>admin/scenario</c>.</summary>
    public Uri AdminAddress => _admin?.BaseAddress ?? throw NotStarted();

    /// <summary>The cluster in <paramref name="linodeRegion"/> (<see cref="CaCentral"/> or <see cref="UsEast"/>).</summary>
    public LabCluster GetCluster(string linodeRegion) =>
        _clusters.FirstOrDefault(c => c.LinodeRegion == linodeRegion)
        ?? throw new KeyNotFoundException($"The lab region has no cluster in '{linodeRegion}'.");

    /// <summary>The URL clients of <paramref name="vantage"/> request through the web NodeBalancer, e.g. <c>https://127.0.0.1:40123/healthz</c>.</summary>
    public Uri GetWebUrl(string vantage)
    {
        var endpoint = WebNodeBalancer.GetEndpoint(vantage);
        return new Uri($"https://{endpoint.Address}:{endpoint.Port}/healthz");
    }

    /// <summary>
    /// Builds and starts every part, then the scenario; returns once everything accepts connections.
    /// Throws <see cref="ArgumentException"/> for bad options (unknown scenario, bad vantage names).
    /// </summary>
    public static async Task<LabRegion> StartAsync(LabRegionOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LabRegionOptions();
        Validate(options);
        var region = new LabRegion(options);
        try
        {
            await region.BuildAsync(cancellationToken);
            return region;
        }
        catch
        {
            await region.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the admin app, the scenario (its faults revert), then every part.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // The admin app first, so no scenario switch can start while the scenario stops; then the scenario, so no
        // step touches a part that is gone; then the rest in reverse start order: NodeBalancers before what they front.
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }

        await StopScenarioAsync();
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        foreach (var authority in _authorities)
        {
            authority.Dispose();
        }

        _scenarioSwitch.Dispose();
    }

    private async Task BuildAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var time = _options.TimeProvider;
        var now = time.GetUtcNow();

        (string Region, long Id, string Label)[] clusters = [(CaCentral, 424201, "ca-prod"), (UsEast, 424202, "us-prod")];
        var apis = new List<(CertificateAuthority Authority, LabKubernetesApi Api, string Token)>();
        foreach (var (linodeRegion, id, label) in clusters)
        {
            var authority = Own(CertificateAuthority.Create($"{label}-ca", now));
            var apiOptions = new LabKubernetesApiOptions();
            var token = NewToken();
            apiOptions.Tokens.Add(token);
            apiOptions.ExtraDnsNames.Add($"lke{id}.{linodeRegion}-1.linodelke.net");
            apis.Add((authority, Own(new LabKubernetesApi(authority, apiOptions, time)), token));
        }

        _webAuthority = Own(CertificateAuthority.Create($"{WebLabel}-ca", now));
        _linodeApi = Own(new LinodeApiServer(new LinodeApiModel(), LinodeApiToken));
        _statusPage = Own(new StatusPageServer(new StatusPageModel(time)));
        _ingestion = Own(new IngestionReceiver(time));

        // Parts start side by side: each is a Kestrel host, and serially they would cost seconds.
        var webBackends = WebBackendPool.StartAsync(
            _webAuthority,
            new WebBackendPoolOptions
            {
                Count = _options.WebBackendCount,
                NamePrefix = WebLabel,
                TimeProvider = time,
                CertificateLifetime = _options.Scenario == LabScenarios.CertExpiring
                    ? CertExpiringScenario.CertificateLifetime
                    : new WebBackendPoolOptions().CertificateLifetime,
            },
            cancellationToken);
        var starting = new List<Task>(apis.Select(a => a.Api.StartAsync(cancellationToken)))
        {
            webBackends,
            _linodeApi.StartAsync(cancellationToken),
            _statusPage.StartAsync(cancellationToken),
            _ingestion.StartAsync(cancellationToken),
        };
        try
        {
            await Task.WhenAll(starting);
        }
        finally
        {
            // Whatever happened to the others, a pool that did start is ours to dispose.
            if (webBackends.IsCompletedSuccessfully)
            {
                _webBackends = Own(webBackends.Result);
            }
        }

        var nodeBalancerLogger = _options.LoggerFactory?.CreateLogger<NodeBalancer>();
        _clusters = [.. clusters.Select((cluster, index) =>
        {
            var (authority, api, token) = apis[index];
            // The control plane's NodeBalancer also has the cluster's own side as a client: the bystander's listener.
            IReadOnlyList<string> clients = _options.Bystanders ? [.. Vantages, BystanderOptions.InClusterVantage] : Vantages;
            var nodeBalancer = AddNodeBalancer($"{cluster.Label}-cp", [new IPEndPoint(IPAddress.Loopback, api.Port)], index, nodeBalancerLogger, clients);
            return new LabCluster(cluster.Id, cluster.Label, cluster.Region, authority, api, token, nodeBalancer);
        })];
        AddNodeBalancer(WebLabel, WebBackends.Endpoints, clusters.Length, nodeBalancerLogger, Vantages);
        if (_options.Bystanders)
        {
            // Owned after the NodeBalancers, so disposed before them: the bystanders stop electing while their path is up.
            var bystanderOptions = new BystanderOptions { TimeScale = _options.ScenarioOptions.TimeScale };
            var bystanderLogger = _options.LoggerFactory?.CreateLogger<BystanderController>();
            _bystanders = [.. _clusters.Select(cluster => Own(BystanderController.Start(
                cluster.Label,
                cluster.LinodeRegion,
                () => cluster.CreateKubeconfig(BystanderOptions.InClusterVantage),
                bystanderOptions,
                time,
                bystanderLogger)))];
        }

        DescribeInLinodeApi(now);
        _admin = await LoopbackWebApp.StartAsync(MapAdmin, cancellationToken);
        StartScenario(_options.Scenario);
        LabRegionLog.Started(_logger, started.ElapsedMilliseconds, _options.Scenario, Vantages);
    }

    private NodeBalancer AddNodeBalancer(
        string label, IReadOnlyList<IPEndPoint> backends, int index, ILogger<NodeBalancer>? logger, IReadOnlyList<string> clients)
    {
        var nodeBalancer = Own(new NodeBalancer(
            new NodeBalancerOptions
            {
                Name = label,
                Vantages = clients,
                Backends = backends,
                // One seed per NodeBalancer: the same run repeats, and two NodeBalancers do not stall in lockstep.
                Seed = unchecked(_options.Seed + index),
                TimeProvider = _options.TimeProvider,
            },
            logger));
        _nodeBalancers.Add(label, nodeBalancer);
        return nodeBalancer;
    }

    /// <summary>
    /// Takes web backend <paramref name="index"/> down (its port refuses, the NodeBalancer and the Linode API mark it
    /// DOWN) or brings it back.
    /// </summary>
    internal async Task SetWebBackendUpAsync(int index, bool isUp, CancellationToken cancellationToken)
    {
        if (isUp)
        {
            await WebBackends.StartBackendAsync(index, cancellationToken);
            WebNodeBalancer.SetBackendUp(index, isUp: true);
        }
        else
        {
            WebNodeBalancer.SetBackendUp(index, isUp: false);
            await WebBackends.StopBackendAsync(index, cancellationToken);
        }

        LinodeApi.Model.SetNodeStatus(_webNodeIds[index], isUp ? "UP" : "DOWN");
    }

    private static void Validate(LabRegionOptions options)
    {
        if (options.Vantages is not { Count: > 0 })
        {
            throw new ArgumentException("At least one vantage is needed.", nameof(options));
        }

        foreach (var vantage in options.Vantages)
        {
            if (vantage is null || !VantageName().IsMatch(vantage))
            {
                throw new ArgumentException(
                    $"Vantage '{vantage}' is not a valid name: letters, digits and dashes, starting with a letter or digit.", nameof(options));
            }
        }

        if (options.Vantages.Distinct(StringComparer.OrdinalIgnoreCase).Count() != options.Vantages.Count)
        {
            throw new ArgumentException("Vantage names must be unique.", nameof(options));
        }

        if (options.Bystanders && options.Vantages.Contains(BystanderOptions.InClusterVantage, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Vantage '{BystanderOptions.InClusterVantage}' is the bystanders' own listener.", nameof(options));
        }

        if (!LabScenarios.IsKnown(options.Scenario))
        {
            throw LabScenarios.Unknown(options.Scenario);
        }

        if (options.ScenarioOptions.Validate() is { } error)
        {
            throw new ArgumentException(error, nameof(options));
        }

        if (options.WebBackendCount is < 1 or > 8)
        {
            throw new ArgumentException("WebBackendCount must be 1–8.", nameof(options));
        }
    }

    private T Own<T>(T part)
        where T : class
    {
        switch (part)
        {
            case IAsyncDisposable disposable:
                _owned.Add(disposable);
                break;
            case IDisposable disposable:
                _authorities.Add(disposable);
                break;
        }

        return part;
    }

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static Guid InstrumentationKeyFrom(int seed)
    {
        // Derived, not random: a rerun with the same seed sends to the same key, so saved queries keep working.
        var bytes = new byte[16];
        new Random(seed).NextBytes(bytes);
        return new Guid(bytes);
    }

    private static InvalidOperationException NotStarted() => new("The lab region has not been started.");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,62}$")]
    private static partial Regex VantageName();
}
