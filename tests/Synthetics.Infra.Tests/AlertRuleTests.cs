using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Synthetics.Alerts;
using Synthetics.Infra.Tests.Support;
using static Synthetics.Infra.Tests.Support.CompiledTemplate;

namespace Synthetics.Infra.Tests;

/// <summary>The alert rules and the workbook as compiled: their KQL parsed by Kusto's parser, and how they page.</summary>
public sealed class AlertRuleTests
{
    private static IReadOnlyList<DeployedQuery> RuleQueries => DeployedQueries.AlertRules(Template);

    private static List<JsonNode> Rules => [.. Resources("Microsoft.Insights/scheduledQueryRules")];

    [Fact]
    public void Queries_OfEveryRuleAndTheWorkbook_ParseAgainstTheApplicationInsightsSchema()
    {
        var queries = RuleQueries.Concat(DeployedQueries.Workbooks(Template)).ToList();

        var checks = KqlChecker.Check(queries);

        Assert.Equal(queries.Count, checks.Count);
        Assert.True(queries.Count >= 6 + 6, $"expected the six rules' and the workbook's queries, found {queries.Count}");
        Assert.All(checks, c => Assert.True(!c.Errors.Any(), $"{c.Name}: {string.Join("; ", c.Errors.Select(e => $"{e.Code} {e.Message} at {e.Start}"))}"));
    }

    [Theory]
    [InlineData("customDimensions", "customDimension", "KS142")] // a misspelt column
    [InlineData("ingestion_time()", "ingestion_tme()", "KS")] // an unknown function
    [InlineData("| where name ==", "| wher name ==", "KS")] // a syntax error
    public void Check_BrokenQuery_IsReportedAsAnError(string right, string wrong, string codePrefix)
    {
        var page = RuleQueries.First(q => q.Text.Contains(ApplicationInsightsPublisher.IncidentOpenedEvent, StringComparison.Ordinal));
        Assert.Contains(right, page.Text, StringComparison.Ordinal);

        var check = Assert.Single(KqlChecker.Check([page with { Text = page.Text.Replace(right, wrong, StringComparison.Ordinal) }]));

        Assert.Contains(check.Errors, e => e.Code.StartsWith(codePrefix, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_ColumnOfAnotherTable_IsReportedAsAnError()
    {
        // location is a column of availabilityResults, not of customEvents: the schema is per table.
        var check = Assert.Single(KqlChecker.Check([new DeployedQuery("wrong table", "customEvents | project location")]));

        Assert.Contains(check.Errors, e => e.Message.Contains("location", StringComparison.Ordinal));
    }

    [Fact]
    public void IncidentRules_QueryEveryEventTheProductSends()
    {
        var texts = RuleQueries.Select(q => q.Text).ToList();

        Assert.Contains(texts, q => q.Contains($"\"{ApplicationInsightsPublisher.IncidentOpenedEvent}\"", StringComparison.Ordinal));
        Assert.Contains(texts, q => q.Contains($"\"{ApplicationInsightsPublisher.IncidentUpdatedEvent}\"", StringComparison.Ordinal));
        Assert.Contains(texts, q => q.Contains($"\"{ApplicationInsightsPublisher.IncidentResolvedEvent}\"", StringComparison.Ordinal));
    }

    [Fact]
    public void IncidentRules_OnePerPagedSeverity_StatelessEveryFiveMinutes()
    {
        var pages = Rules.Where(r => r["name"]!.ToString().Contains("incident-sev", StringComparison.Ordinal)).ToList();
        var incidentRules = Rules.Where(r => r["name"]!.ToString().Contains("incident", StringComparison.Ordinal)).ToList();

        // One resource in a copy loop over the severities 0, 1 and 2 (IncidentSeverity's paged levels).
        var page = Assert.Single(pages);
        Assert.Equal("[variables('pageSeverities')[copyIndex()].severity]", page["properties"]!["severity"]!.ToString());
        Assert.Equal([0, 1, 2], PageSeverities());
        Assert.All(incidentRules, r =>
        {
            var properties = r["properties"]!;
            // The queries' ingestion slices are 5 minutes long and tile time only when evaluated every 5 minutes.
            Assert.Equal("PT5M", properties["evaluationFrequency"]!.ToString());
            Assert.False(properties["autoMitigate"]!.GetValue<bool>());
            Assert.Equal("P2D", properties["overrideQueryTimeRange"]!.ToString());
        });
        Assert.All(RuleQueries.Where(q => q.Source.Contains("incident", StringComparison.Ordinal)), q =>
        {
            Assert.Contains("let sliceEnd = bin(now(), 5m) - 5m;", q.Text, StringComparison.Ordinal);
            Assert.Contains("ingestion_time() >= sliceStart and ingestion_time() < sliceEnd", q.Text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void WatchdogRules_FireWhileSilentAndResolveWhenDataReturns()
    {
        var watchdogs = Rules.Where(r => r["name"]!.ToString() is "lke-synthetics-no-results" or "lke-synthetics-no-evaluation" or "lke-synthetics-vantage-silent").ToList();

        Assert.Equal(3, watchdogs.Count);
        Assert.All(watchdogs, r => Assert.True(r["properties"]!["autoMitigate"]!.GetValue<bool>()));
    }

    [Fact]
    public void TargetNotProbedRule_ReadsTheEventTheProductSends_OneAlertPerTargetWhileItLasts()
    {
        var rule = Rules.Single(r => r["name"]!.ToString() == "lke-synthetics-target-not-probed");
        var query = RuleQueries.Single(q => q.Source == "lke-synthetics-target-not-probed");
        var dimensions = rule["properties"]!["criteria"]!["allOf"]![0]!["dimensions"]!.AsArray().Select(d => d!["name"]!.ToString()).ToList();

        Assert.Contains($"name == \"{ApplicationInsightsPublisher.TargetNotProbedEvent}\"", query.Text, StringComparison.Ordinal);
        Assert.True(rule["properties"]!["autoMitigate"]!.GetValue<bool>());
        Assert.Equal(["target", "field", "vantages", "reason"], dimensions);
        Assert.Contains(DeployedQueries.Workbooks(Template), q => q.Text.Contains(ApplicationInsightsPublisher.TargetNotProbedEvent, StringComparison.Ordinal));
    }

    [Fact]
    public void DiscoveryFailingRule_ReadsTheEventDiscoverySends_FiresWhileTheLatestRunFailed()
    {
        var rule = Rules.Single(r => r["name"]!.ToString() == "lke-synthetics-discovery-failing");
        var query = RuleQueries.Single(q => q.Source == "lke-synthetics-discovery-failing");

        Assert.Contains($"name == \"{ApplicationInsightsPublisher.DiscoveryEvent}\"", query.Text, StringComparison.Ordinal);
        Assert.Contains("arg_max(timestamp", query.Text, StringComparison.Ordinal);
        Assert.True(rule["properties"]!["autoMitigate"]!.GetValue<bool>());
        // The window holds several runs of the hourly schedule, so the latest is always in it.
        Assert.Equal("PT3H", rule["properties"]!["windowSize"]!.ToString());
    }

    [Fact]
    public void MaintenanceAheadRule_ReadsTheEventTheWatcherSends_OneEmailPerWarning()
    {
        var rule = Rules.Single(r => r["name"]!.ToString() == "lke-synthetics-maintenance-ahead");
        var query = RuleQueries.Single(q => q.Source == "lke-synthetics-maintenance-ahead");

        Assert.Contains($"name == \"{ApplicationInsightsPublisher.MaintenanceAheadEvent}\"", query.Text, StringComparison.Ordinal);
        Assert.Contains("ingestion_time() >= sliceStart and ingestion_time() < sliceEnd", query.Text, StringComparison.Ordinal);
        Assert.False(rule["properties"]!["autoMitigate"]!.GetValue<bool>());
        Assert.Equal("PT5M", rule["properties"]!["evaluationFrequency"]!.ToString());
    }

    [Fact]
    public void IncidentPages_CarryTheAttributionAndTheCustomersOwnChanges()
    {
        var query = RuleQueries.First(q => q.Text.Contains("SyntheticsIncidentOpened", StringComparison.Ordinal));

        Assert.Contains("customDimensions.attribution", query.Text, StringComparison.Ordinal);
        Assert.Contains("customDimensions.customerChanges", query.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void MaintenanceAheadRule_NamesTheAccountNoticeAndWhatCouldNotBeRead()
    {
        var query = RuleQueries.Single(q => q.Source == "lke-synthetics-maintenance-ahead");

        Assert.Contains("customDimensions.notice", query.Text, StringComparison.Ordinal);
        Assert.Contains("customDimensions.sourceFailure", query.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void NoEvaluationRule_ReadsTheLineTheEvaluateFunctionLogs()
    {
        // EvaluationCycle.LogEvaluated (the Evaluate function's run): "Evaluate: skipped {Skipped}, …"; a bool hole is
        // written as False or True.
        var logged = typeof(Synthetics.Pipeline.EvaluationCycle).GetMethod("LogEvaluated", BindingFlags.NonPublic | BindingFlags.Static)!
            .GetCustomAttribute<LoggerMessageAttribute>()!;
        var rule = RuleQueries.Single(q => q.Source == "lke-synthetics-no-evaluation");
        var evaluated = logged.Message.Replace("{Skipped}", bool.FalseString, StringComparison.Ordinal);
        var prefix = evaluated[..evaluated.IndexOf('{', StringComparison.Ordinal)].TrimEnd(',', ' ');

        Assert.True(logged.Level >= LogLevel.Information);
        Assert.Contains($"message startswith \"{prefix}\"", rule.Text, StringComparison.Ordinal);
    }

    private static List<int> PageSeverities()
    {
        var (_, template) = ResourcesIn(Template, "Microsoft.Insights/scheduledQueryRules").First(r => r.Resource["name"]!.ToString().Contains("incident-sev", StringComparison.Ordinal));
        return [.. template["variables"]!["pageSeverities"]!.AsArray().Select(s => s!["severity"]!.GetValue<int>())];
    }
}
