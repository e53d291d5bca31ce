// The on-call workbook: availability per target and vantage, failures by outcome, where the time goes, incidents, and
// whether the monitor itself runs. Its content is infra/workbooks/lke-synthetics.workbook.json (the portal's own
// format: edit it in the portal, paste the Advanced Editor's JSON back), loaded at compile time so the tests parse the
// queries that ship. success is a string in the classic tables, spelt "1" or "True" depending on the source: the
// queries compare it case-insensitively with both.
param location string
param tags object
param applicationInsightsName string

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

var content = loadJsonContent('../workbooks/lke-synthetics.workbook.json')

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, 'lke-synthetics-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'LKE Synthetics'
    category: 'workbook'
    sourceId: applicationInsights.id
    // Opened outside the component (the Azure Monitor gallery), the queries run against it all the same.
    serializedData: string(union(content, { fallbackResourceIds: [applicationInsights.id] }))
  }
}
