using System.Text.Json.Nodes;
using Json.Schema;
using Synthetics.Results;

namespace Synthetics.Core.Tests.Results;

public sealed class ProbeResultJsonTests
{
    internal static JsonSchema ContractSchema { get; } = JsonSchema.FromFile(FindShared("result.schema.json"));

    [Fact]
    public void Serialize_FullResult_IsValidAgainstContractSchema()
    {
        var result = new ProbeResult
        {
            Timestamp = new DateTimeOffset(2026, 3, 12, 14, 2, 3, 456, TimeSpan.Zero),
            Vantage = "eu-west",
            Target = "ca-prod-api",
            TargetKind = "KubernetesApi",
            Probe = "kube-health",
            Region = "ca-central",
            Outcome = ProbeOutcome.DnsFailure,
            DurationMs = 12.3456,
            Phases = new ProbePhases { DnsMs = 1.23456, ConnectMs = 2 },
            StatusCode = 500,
            RemoteAddress = "203.0.113.10",
            Message = "name did not resolve",
            Details = new Dictionary<string, object> { ["failedChecks"] = new[] { "etcd" }, ["certDaysLeft"] = 42.5 },
        };

        var json = ProbeResultJson.Serialize(result);
        var evaluation = ContractSchema.Evaluate(JsonNode.Parse(json), new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(evaluation.IsValid, json);
        Assert.DoesNotContain('\n', json);
        var node = JsonNode.Parse(json)!;
        Assert.Equal("2026-03-12T14:02:03.456Z", node["timestamp"]!.GetValue<string>());
        Assert.Equal("dns_failure", node["outcome"]!.GetValue<string>());
        Assert.False(node["success"]!.GetValue<bool>());
        Assert.Equal(1.235, node["phases"]!["dnsMs"]!.GetValue<double>());
        Assert.Null(node["phases"]!["tlsMs"]);
    }

    [Theory]
    [InlineData(ProbeOutcome.Ok, "ok", true)]
    [InlineData(ProbeOutcome.Slow, "slow", true)]
    [InlineData(ProbeOutcome.CertExpiring, "cert_expiring", true)]
    [InlineData(ProbeOutcome.Timeout, "timeout", false)]
    [InlineData(ProbeOutcome.TlsFailure, "tls_failure", false)]
    [InlineData(ProbeOutcome.UnexpectedBody, "unexpected_body", false)]
    [InlineData(ProbeOutcome.LeaseLost, "lease_lost", false)]
    [InlineData(ProbeOutcome.WatchDropped, "watch_dropped", false)]
    public void Serialize_EveryOutcome_UsesContractNameAndSuccess(ProbeOutcome outcome, string name, bool success)
    {
        var json = ProbeResultJson.Serialize(new ProbeResult
        {
            Timestamp = DateTimeOffset.UnixEpoch, Vantage = "v", Target = "t", TargetKind = "Tcp", Probe = "tcp", Region = "r",
            Outcome = outcome, DurationMs = 1,
        });

        var node = JsonNode.Parse(json)!;
        Assert.Equal(name, node["outcome"]!.GetValue<string>());
        Assert.Equal(success, node["success"]!.GetValue<bool>());
        Assert.Equal(name, outcome.ToContractName());
        Assert.True(ContractSchema.Evaluate(node).IsValid);
    }

    [Fact]
    public void ContractNames_CoverEveryOutcomeInTheSchema()
    {
        var schema = JsonNode.Parse(File.ReadAllText(FindShared("result.schema.json")))!;
        var names = schema["properties"]!["outcome"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()).Order();

        Assert.Equal(names, Enum.GetValues<ProbeOutcome>().Select(o => o.ToContractName()).Order());
    }

    /// <summary>The contract files live in ../shared beside the repository.</summary>
    internal static string FindShared(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"shared/{name} not found above {AppContext.BaseDirectory}");
    }
}
