// Incident events become emails: an action group and log alert rules on the SyntheticsIncident* events.
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
        useCommonAlertSchema: true
      }
    ]
  }
}

var incidentColumns = '| extend incidentId = tostring(customDimensions.incidentId), severity = toint(customDimensions.severity), scope = tostring(customDimensions.scope), region = tostring(customDimensions.region), targets = tostring(customDimensions.targets), vantages = tostring(customDimensions.vantages), leadingOutcome = tostring(customDimensions.leadingOutcome), summary = tostring(customDimensions.summary)'

resource incidentOpened 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: 'lke-synthetics-incident-opened'
  location: location
  tags: tags
  properties: {
    displayName: 'LKE Synthetics: provider-side incident opened'
    description: 'A degradation seen by several vantage points (a target or a whole region). The email carries the incident id, scope, region, targets and summary.'
    severity: 1
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: 'customEvents | where name == "SyntheticsIncidentOpened" ${incidentColumns} | where severity <= 2 | summarize count() by incidentId, scope, region, targets, vantages, leadingOutcome, summary'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            { name: 'incidentId', operator: 'Include', values: ['*'] }
            { name: 'region', operator: 'Include', values: ['*'] }
            { name: 'summary', operator: 'Include', values: ['*'] }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    // The product resolves incidents itself (hysteresis); the rule only tells.
    autoMitigate: false
    actions: {
      actionGroups: [onCall.id]
    }
  }
}

resource incidentResolved 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: 'lke-synthetics-incident-resolved'
  location: location
  tags: tags
  properties: {
    displayName: 'LKE Synthetics: incident resolved'
    description: 'A provider-side incident resolved after enough good evaluations in a row.'
    severity: 3
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: 'customEvents | where name == "SyntheticsIncidentResolved" ${incidentColumns} | where severity <= 2 | summarize count() by incidentId, region, summary'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            { name: 'incidentId', operator: 'Include', values: ['*'] }
            { name: 'region', operator: 'Include', values: ['*'] }
          ]
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
    }
  }
}

resource vantageSilent 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: 'lke-synthetics-vantage-silent'
  location: location
  tags: tags
  properties: {
    displayName: 'LKE Synthetics: a vantage point stopped reporting'
    description: 'The monitor watches itself: a vantage with no availability results for 5 minutes while it had some in the hour before.'
    severity: 3
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT1H'
    criteria: {
      allOf: [
        {
          query: 'availabilityResults | summarize last = max(timestamp) by location | where last < ago(5m) | project location'
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
    }
  }
}

output actionGroupId string = onCall.id
