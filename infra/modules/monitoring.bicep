// Log Analytics and a workspace-based Application Insights that accepts only Entra-authenticated telemetry.
param location string
param tags object
param resourceToken string

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${resourceToken}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 90
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${resourceToken}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    // Telemetry must come with a managed identity token: a leaked connection string cannot forge results.
    DisableLocalAuth: true
  }
}

output applicationInsightsName string = applicationInsights.name
