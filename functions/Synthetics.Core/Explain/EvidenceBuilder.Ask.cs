using System.Globalization;
using System.Text;
using Synthetics.Targets;

namespace Synthetics.Explain;

internal sealed partial class EvidenceBuilder
{
    // Timings curl prints after the request: where the time went, phase by phase, as the probes measure it.
    private const string CurlTimings =
        "remote %{remote_ip}:%{remote_port} dns %{time_namelookup}s connect %{time_connect}s tls %{time_appconnect}s " +
        "ttfb %{time_starttransfer}s total %{time_total}s status %{http_code}\\n";

    private static List<Reproduction> Reproductions(IReadOnlyList<string> targets, TargetCatalog catalog)
    {
        var reproductions = new List<Reproduction>();
        foreach (var target in catalog.Targets.Where(t => targets.Contains(t.Name, StringComparer.Ordinal)))
        {
            var endpoint = target.Endpoint;
            var hostPort = endpoint.Host.Contains(':', StringComparison.Ordinal) ? $"[{endpoint.Host}]:{endpoint.Port}" : $"{endpoint.Host}:{endpoint.Port}";
            switch (target.Kind)
            {
                case TargetKind.KubernetesApi:
                    // The server's URL from the kubeconfig (scheme, host, port: no credential), else the probed endpoint.
                    var server = target.Kubernetes?.Server.GetLeftPart(UriPartial.Authority) ?? $"https://{hostPort}";
                    reproductions.Add(new Reproduction(
                        target.Name,
                        "The API server's readiness as our kube-health probe reads it, with timings per phase and an Audit-ID you choose, which the API server echoes and records in its audit log.",
                        $"AUDIT_ID=$(cat /proc/sys/kernel/random/uuid); echo \"Audit-ID: $AUDIT_ID\"; " +
                        $"curl -sS --cacert cluster-ca.crt -H \"Authorization: Bearer $TOKEN\" -H \"Audit-ID: $AUDIT_ID\" -D - -o /dev/null " +
                        $"--max-time {Seconds(target.Timeout)} -w '{CurlTimings}' '{server}/readyz?verbose'"));
                    reproductions.Add(new Reproduction(
                        target.Name,
                        "The same with kubectl and your kubeconfig: -v=8 prints the request, the status and the response headers, the API server's Audit-Id among them.",
                        $"kubectl --kubeconfig YOUR_KUBECONFIG --server '{server}' get --raw '/readyz?verbose' -v=8 2>&1 | grep -iE 'GET https|Response Status|Audit-Id|\\[[+-]\\]'"));
                    break;
                case TargetKind.Http when target.Http is { } http:
                    reproductions.Add(new Reproduction(
                        target.Name,
                        "One request on a fresh connection, as our http probe makes it, with timings per phase.",
                        $"curl -sS -o /dev/null --max-time {Seconds(target.Timeout)} -w '{CurlTimings}' '{http.Url}'"));
                    break;
                default:
                    reproductions.Add(new Reproduction(
                        target.Name,
                        "One TCP connection, as our tcp probe opens it, timed.",
                        $"time nc -vz -w {Seconds(target.Timeout)} {endpoint.Host} {endpoint.Port}"));
                    break;
            }
        }

        return reproductions;
    }

    /// <summary>The short paragraph to the provider, from the report's own figures.</summary>
    private static string Ask(EvidenceReport report)
    {
        var subject = report.Subject;
        var failures = report.FailedAttempts.Count;
        if (failures == 0)
        {
            return $"No probe of {Targets(subject)} in {subject.Region} failed between {EvidenceBuilder.Utc(report.From)} and {EvidenceBuilder.Utc(report.To)}: " +
                   "nothing to ask the provider for this window.";
        }

        var from = report.ProblemFrom ?? report.FailedAttempts[0].At;
        var to = report.ProblemTo ?? report.FailedAttempts[^1].At;
        var during = report.FailedAttempts.Count(f => f.InProblemWindow);
        var attemptsDuring = report.Baselines.Sum(b => b.During.Attempts);
        var vantagesFailing = report.FailedAttempts.Select(f => f.Vantage).Distinct(StringComparer.Ordinal).Count();
        var before = report.Baselines.Aggregate((Attempts: 0, Failures: 0), (sum, b) => (sum.Attempts + b.Before.Attempts, sum.Failures + b.Before.Failures));
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"Between {EvidenceBuilder.Utc(from)} and {EvidenceBuilder.Utc(to)}, {Targets(subject)} in {subject.Region} failed ");
        text.Append(report.ProblemFrom is null || attemptsDuring == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{failures} of {report.Attempts} probe runs")
            : string.Create(CultureInfo.InvariantCulture, $"{during} of {attemptsDuring} probe runs ({Share(during, attemptsDuring)})"));
        text.Append(CultureInfo.InvariantCulture,
            $" from {vantagesFailing} of our {report.Vantages.Count} vantage points in Azure ({string.Join(", ", report.FailuresByOutcome.Select(o => $"{o.Key} {o.Value}"))})");
        if (report.ProblemFrom is not null && before.Attempts > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $", against {Share(before.Failures, before.Attempts)} in the {before.Attempts} runs before");
        }

        text.Append(". ");
        var healthy = report.Regions.Skip(1).Where(r => r.Attempts > 0).ToList();
        if (healthy.Count > 0)
        {
            var shares = string.Join(", ", healthy.Select(r => $"{r.Region} failed {Share(r.Failures, r.Attempts)}"));
            text.Append(CultureInfo.InvariantCulture, $"From the same vantage points, {shares} of its runs over the same window");
            text.Append(report.Monitor.All(m => m.Steady) ? ", and every vantage's own probe cycles ran steadily: this is not our network or our monitor. " : ". ");
        }

        foreach (var unsteady in report.Monitor.Where(m => !m.Steady))
        {
            if (unsteady.StalledCycles > 0)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"(Vantage {unsteady.Vantage}'s own process stalled for up to {unsteady.LongestStallSeconds:0.0} s in {unsteady.StalledCycles} of its cycles in this window; those cycles' figures are ours to explain, and detection did not judge them.) ");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"(Vantage {unsteady.Vantage} paused for up to {unsteady.LongestGapSeconds:0} s in this window; its figures in that gap are ours to explain.) ");
            }
        }

        if (report.Maintenances.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"This overlaps your maintenance \"{report.Maintenances[0].Name}\". ");
        }

        text.Append(CultureInfo.InvariantCulture,
            $"Please tell us what changed in {subject.Region} in that window (NodeBalancer or control-plane configuration, and the maintenance's effect on new and long-lived connections), ");
        text.Append(
            "and check the failed attempts listed below (UTC second, remote address, Audit-ID where there is one) against your side's logs.");
        return text.ToString();
    }

    private static string Targets(EvidenceSubject subject) => subject.Targets.Count switch
    {
        0 => "no target",
        1 => subject.Targets[0],
        _ => $"{string.Join(", ", subject.Targets.Take(subject.Targets.Count - 1))} and {subject.Targets[^1]}",
    };

    private static string Share(int part, int whole) =>
        whole == 0 ? "0%" : ((double)part / whole).ToString("0.#%", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan value) => Math.Ceiling(value.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
