using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Synthetics.Infra.Tests.Support;

/// <summary>One diagnostic of Kusto's own language service (kql/check-kql.js) for a query.</summary>
internal sealed record KqlDiagnostic(string Severity, string Code, string Message, int Start, int Length);

/// <summary>A query's diagnostics, as check-kql.js reports them.</summary>
internal sealed record KqlCheck(string Name, IReadOnlyList<KqlDiagnostic> Diagnostics)
{
    public IEnumerable<KqlDiagnostic> Errors => Diagnostics.Where(d => d.Severity == "Error");
}

/// <summary>
/// Runs kql/check-kql.js in Node: @kusto/language-service-next (from the repository's package-lock.json, installed by
/// npm ci) parses each query against the Application Insights tables and reports syntax and semantic errors.
/// </summary>
internal static class KqlChecker
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static IReadOnlyList<KqlCheck> Check(IEnumerable<DeployedQuery> queries)
    {
        var script = Path.Combine(CompiledTemplate.Root, "tests", "Synthetics.Infra.Tests", "kql", "check-kql.js");
        var parser = Path.Combine(CompiledTemplate.Root, "node_modules", "@kusto", "language-service-next");
        Assert.True(Directory.Exists(parser), $"{parser} is missing: run npm ci at the repository root (tests/run.sh does)");

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = CompiledTemplate.Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(JsonSerializer.Serialize(queries.Select(q => new { name = q.Source, query = q.Text }), Json));
        process.StandardInput.Close();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "check-kql.js did not finish");
        Assert.True(process.ExitCode == 0, $"check-kql.js failed ({process.ExitCode}): {errors.Result}");
        return JsonSerializer.Deserialize<List<KqlCheck>>(output.Result, Json)!;
    }
}
