// The on-call workbook: availability per target and vantage, failures by outcome, where the time goes, incidents.
param location string
param tags object
param applicationInsightsName string

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

var queries = [
  {
    title: 'Availability by target and vantage point'
    query: 'availabilityResults | where timestamp {TimeRange} | summarize availability = round(100.0 * countif(success == true) / count(), 2) by bin(timestamp, 5m), target = tostring(customDimensions.target), location | render timechart'
    visualization: 'timechart'
  }
  {
    title: 'Failures by outcome and region'
    query: 'availabilityResults | where timestamp {TimeRange} and success == false | summarize failures = count() by outcome = tostring(customDimensions.outcome), region = tostring(customDimensions.region), location | order by failures desc'
    visualization: 'table'
  }
  {
    title: 'Where the time goes (p50 / p95 per phase, ms)'
    query: 'availabilityResults | where timestamp {TimeRange} | extend connectMs = todouble(customDimensions.connectMs), tlsMs = todouble(customDimensions.tlsMs), ttfbMs = todouble(customDimensions.ttfbMs) | summarize connect_p50 = percentile(connectMs, 50), connect_p95 = percentile(connectMs, 95), tls_p50 = percentile(tlsMs, 50), tls_p95 = percentile(tlsMs, 95), ttfb_p50 = percentile(ttfbMs, 50), ttfb_p95 = percentile(ttfbMs, 95) by target = tostring(customDimensions.target), location'
    visualization: 'table'
  }
  {
    title: 'Incidents'
    query: 'customEvents | where timestamp {TimeRange} and name startswith "SyntheticsIncident" | project timestamp, event = name, incidentId = tostring(customDimensions.incidentId), severity = toint(customDimensions.severity), scope = tostring(customDimensions.scope), region = tostring(customDimensions.region), targets = tostring(customDimensions.targets), vantages = tostring(customDimensions.vantages), summary = tostring(customDimensions.summary) | order by timestamp desc'
    visualization: 'table'
  }
]

var workbookContent = {
  version: 'Notebook/1.0'
  items: concat([
    {
      type: 1
      name: 'intro'
      content: { json: '## LKE Synthetics\nProbe results from every vantage point, the phases they spent time in, and the incidents detection opened.' }
    }
    {
      type: 9
      name: 'parameters'
      content: {
        version: 'KqlParameterItem/1.0'
        parameters: [
          {
            id: 'time-range'
            version: 'KqlParameterItem/1.0'
            name: 'TimeRange'
            type: 4
            isRequired: true
            value: { durationMs: 86400000 }
            typeSettings: { selectableValues: [ { durationMs: 3600000 }, { durationMs: 86400000 }, { durationMs: 604800000 } ] }
          }
        ]
      }
    }
  ], map(queries, q => {
    type: 3
    name: q.title
    content: {
      version: 'KqlItem/1.0'
      title: q.title
      query: q.query
      queryType: 0
      resourceType: 'microsoft.insights/components'
      visualization: q.visualization
    }
  }))
  fallbackResourceIds: [applicationInsights.id]
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, 'lke-synthetics-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'LKE Synthetics'
    category: 'workbook'
    sourceId: applicationInsights.id
    serializedData: string(workbookContent)
  }
}
