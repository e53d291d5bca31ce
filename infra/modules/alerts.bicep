// Incident events become emails: an action group and log search alert rules on the SyntheticsIncident* events, and the
// monitor's own watchdogs (no vantage reports, no evaluation runs).
// Vantage-scope incidents (severity 4) are left to the workbook: the monitor's own trouble is no page.
param location string
param tags object
param applicationInsightsName string
param alertEmail string

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource onCall 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-lke-synthetics-oncall'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'lkesynth'
    enabled: true
    emailReceivers: empty(alertEmail) ? [] : [
      {
        name: 'on-call'
        emailAddress: alertEmail
        // The common alert schema lists a log alert's dimensions in the email: that is how the notice reaches on-call.
        useCommonAlertSchema: true
      }
    ]
  }
}

// One email per incident event, whatever the ingestion delay.
//
// A rule that looks at "events with a timestamp in the last N minutes" every M < N minutes sees each event N/M times,
// and a stateless rule (autoMitigate false) mails every time; one with N = M misses events that arrive late, because
// timestamp is when the evaluator published, not when Application Insights made the event queryable. So the incident
// rules select events by ingestion_time() instead, in 5-minute slices aligned on the clock that tile time without
// overlap: an evaluation at any moment of [T, T+5m) takes exactly the events ingested in [T-10m, T-5m). With one
// evaluation every 5 minutes (evaluationFrequency), consecutive evaluations take consecutive slices, so every event
// is in exactly one slice and is taken by exactly one evaluation, however late it was ingested. The slice ends 5
// minutes before now, so an event stamped as ingested is queryable by the time its slice is read. The query time range
// (applied to timestamp, not ingestion time) is 2 days, far wider than any ingestion delay, and is also how far back
// an escalation is compared with the incident's earlier events.
// Each event is its own alert: the dimensions name the incident and the event (kind and minute, one evaluation per
// minute), so two events in one slice are two emails and a repeat of one event cannot be.
// The queries live in infra/queries/*.kql, loaded at compile time: the compiled template carries them as text, so the
// tests parse exactly what is deployed against the Application Insights schema.
var pageQuery = loadTextContent('../queries/incident-pages.kql')
var resolutionQuery = loadTextContent('../queries/incident-resolutions.kql')
var notProbedQuery = loadTextContent('../queries/targets-not-probed.kql')
var discoveryFailingQuery = loadTextContent('../queries/discovery-failing.kql')
var maintenanceAheadQuery = loadTextContent('../queries/maintenance-ahead.kql')

// What the CLI notice shows, as the six dimensions a log alert allows (the common alert schema email lists them): the
// incident id; the event (kind and minute); the severity; the notice's subject; targets and vantages; summary,
// outcomes, provider maintenance and the next step.
func noticeDimensions(severities string[]) object[] => [
  { name: 'incidentId', operator: 'Include', values: ['*'] }
  { name: 'event', operator: 'Include', values: ['*'] }
  { name: 'severity', operator: 'Include', values: severities }
  { name: 'what', operator: 'Include', values: ['*'] }
  { name: 'seenAt', operator: 'Include', values: ['*'] }
  { name: 'detail', operator: 'Include', values: ['*'] }
]

var runbook = {
  Runbook: 'README, "Operate": what each alert means and what to do. The LKE Synthetics workbook holds the results.'
}

// Azure Monitor gives a rule one fixed severity, so the incident's severity (IncidentSeverity: 0 region down, 1 region
// degraded or target down, 2 target degraded) picks the rule: the same query, filtered on its severity dimension.
var pageSeverities = [
  { severity: 0, title: 'region down' }
  { severity: 1, title: 'region degraded or target down' }
  { severity: 2, title: 'target degraded' }
]

resource incidentPages 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = [for page in pageSeverities: {
  name: 'lke-synthetics-incident-sev${page.severity}'
  location: location
  tags: tags
  properties: {
    displayName: 'LKE Synthetics: ${page.title} (incident opened or escalated)'
    description: 'A provider-side incident of severity ${page.severity} opened, or an open one escalated to it (degraded to down, target to region). One email per event; the dimensions carry the incident id, targets, vantages, outcomes, provider maintenance and the next step.'
    severity: page.severity
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    overrideQueryTimeRange: 'P2D'
    criteria: {
      allOf: [
        {
          query: pageQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: noticeDimensions([string(page.severity)])
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    // Stateless: each event is an alert of its own; the product resolves incidents itself (hysteresis) and says so.
    autoMitigate: false
    actions: {
      actionGroups: [onCall.id]
      customProperties: runbook
    }
  }
}]

resource incidentResolved 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: 'lke-synthetics-incident-resolved'
  location: location
  tags: tags
  properties: {
    displayName: 'LKE Synthetics: incident resolved'
    description: 'A provider-side incident resolved after enough good evaluations in a row. One email per resolution.'
    severity: 3
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    overrideQueryTimeRange: 'P2D'
    criteria: {
      allOf: [
        {
          query: resolutionQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: noticeDimensions(['*'])
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    actions: {
      actionGroups: [onCall.id]
      customProperties: runbook
    }
  }
}

// The monitor watches itself. These rules are stateful (autoMitigate): they stay fired while the silence lasts and
// resolve when data returns, so a long outage is one alert and its end is visible. Silence is judged over 15 minutes:
// probes and evaluations run every minute, so a quarter of an hour without any is not ingestion delay.

resource vantageSilent 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: 'lke-synthetics-vantage-silent'
  location: location
  tags: tags
  properties: {
    displayName: 'LKE Synthetics: a vantage point stopped reporting'
    description: 'A vantage with no availability results for 15 minutes while it had some in the hour before: its Function App or region is in trouble, and detection has one viewpoint fewer.'
    severity: 3
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT1H'
    criteria: {
      allOf: [
        {
          query: 'availabilityResults | summarize lastResult = max(timestamp) by location | where lastResult < ago(15m) | project location'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            { name: 'location', operator: 'Include', values: ['*'] }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [onCall.id]
      customProperties: runbook
    }
  }
}

resource noVantageReports 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: 'lke-synthetics-no-results'
  location: location
  tags: tags
  properties: {
    displayName: 'LKE Synthetics: no vantage point reaches any target (the monitor is blind)'
    description: 'No successful availability result from any vantage point for 15 minutes: either no vantage reports at all, or the vantages left reach nothing anywhere (their own network path is gone), and a vantage that reaches nothing is no evidence against the provider, so no incident can open. Check the Function Apps, their outbound network, their deployments and the Application Insights ingestion; if all of them are fine, the provider is down in every region.'
    severity: 1
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          // summarize without "by" always yields one row, so "no data" is the number 0, not an empty result. Only
          // successes count: a vantage cut off from everything still reports, every result failed.
          query: 'availabilityResults | where timestamp > ago(15m) | summarize answered = countif(success in~ ("1", "true"))'
          timeAggregation: 'Total'
          metricMeasureColumn: 'answered'
          operator: 'LessThan'
          threshold: 1
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [onCall.id]
      customProperties: runbook
    }
  }
}

resource noEvaluation 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: 'lke-synthetics-no-evaluation'
  location: location
  tags: tags
  properties: {
    displayName: 'LKE Synthetics: no evaluation runs (results are not judged)'
    description: 'No vantage app logged an evaluation it ran (not skipped) for 15 minutes: results may arrive but no incident can open. Check the Evaluate function of the Function Apps and the incidents table.'
    severity: 1
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          // The Evaluate function logs one line per run (EvaluationCycle.LogEvaluated, exported by the worker's
          // OpenTelemetry); the run that evaluated says "skipped False", the apps that found it done say "skipped True".
          query: 'traces | where timestamp > ago(15m) | where message startswith "Evaluate: skipped False" | summarize evaluations = count()'
          timeAggregation: 'Total'
          metricMeasureColumn: 'evaluations'
          operator: 'LessThan'
          threshold: 1
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [onCall.id]
      customProperties: runbook
    }
  }
}

output actionGroupId string = onCall.id

// A configuration problem, not the provider's: a target no vantage can probe because its kubeconfig or CA bundle cannot
// be had. Stateful like the watchdogs: one email per target while it lasts, resolved once the target is probed again
// (App Service fetches Key Vault references again within 24 hours, or at once on a configuration change).
resource targetNotProbed 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: 'lke-synthetics-target-not-probed'
  location: location
  tags: tags
  properties: {
    displayName: 'LKE Synthetics: a target is not probed (its kubeconfig or CA bundle cannot be had)'
    description: 'A vantage reports a target it cannot probe: the Key Vault secret behind its kubeconfig is missing, disabled or unreadable, or the kubeconfig is refused. Nothing is known of that target until it is fixed; every other target is still probed.'
    severity: 2
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: notProbedQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            { name: 'target', operator: 'Include', values: ['*'] }
            { name: 'field', operator: 'Include', values: ['*'] }
            { name: 'vantages', operator: 'Include', values: ['*'] }
            { name: 'reason', operator: 'Include', values: ['*'] }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [onCall.id]
      customProperties: runbook
    }
  }
}

// Discovery from the Linode API failing: the catalog keeps its last good targets (nothing new is probed, nothing vanished
// is retired) until the token or the API is fixed. Stateful: one email while the latest discovery failed, resolved by
// the next one that succeeds.
resource discoveryFailing 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: 'lke-synthetics-discovery-failing'
  location: location
  tags: tags
  properties: {
    displayName: 'LKE Synthetics: discovery from the Linode API is failing (the last good catalog is probed meanwhile)'
    description: 'The latest discovery could not read the Linode API: the token is refused (401) or lacks a scope (403), or the API fails, times out or answers garbage. New clusters and NodeBalancers are not picked up until it is fixed.'
    severity: 3
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT3H'
    criteria: {
      allOf: [
        {
          query: discoveryFailingQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            { name: 'failure', operator: 'Include', values: ['*'] }
            { name: 'vantage', operator: 'Include', values: ['*'] }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [onCall.id]
      customProperties: runbook
    }
  }
}

// A provider maintenance about to touch a monitored region: one email per warning (first sight within a day, then
// shortly before it starts), naming the maintenance, its window, the affected targets and what the monitor watches.
resource maintenanceAhead 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: 'lke-synthetics-maintenance-ahead'
  location: location
  tags: tags
  properties: {
    displayName: 'LKE Synthetics: a provider maintenance will touch monitored targets'
    description: 'The status page announces a maintenance in a region with monitored targets. Sent once at first sight within a day of its start and once shortly before it; an incident in its window will name it.'
    severity: 3
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    overrideQueryTimeRange: 'P2D'
    criteria: {
      allOf: [
        {
          query: maintenanceAheadQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            { name: 'maintenanceId', operator: 'Include', values: ['*'] }
            { name: 'stage', operator: 'Include', values: ['*'] }
            { name: 'what', operator: 'Include', values: ['*'] }
            { name: 'window', operator: 'Include', values: ['*'] }
            { name: 'targets', operator: 'Include', values: ['*'] }
            { name: 'watch', operator: 'Include', values: ['*'] }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    // Stateless: each warning is an email of its own, sent once by the product.
    autoMitigate: false
    actions: {
      actionGroups: [onCall.id]
      customProperties: runbook
    }
  }
}
