// LKE Synthetics: one Function App per vantage point (Azure region), shared results storage, Application Insights,
// alert rules that email on-call, a workbook, and a Key Vault for kubeconfigs and the Linode token.
// Identity only: no storage keys, no instrumentation keys in settings; every app has a user-assigned identity.
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('azd environment name; names and tags derive from it.')
param environmentName string

@minLength(1)
@description('Region of the shared resources (storage, monitoring, Key Vault).')
param location string

@minLength(3)
@maxLength(3)
@description('The three Azure regions the probes run from. Pick regions outside the provider region you watch.')
param vantageLocations array = ['westeurope', 'eastus2', 'southeastasia']

@description('Who receives incident emails (an action group email receiver). Empty: alert rules without email.')
param alertEmail string = ''

@description('Probe schedule, six-field NCRONTAB.')
param probeSchedule string = '0 * * * * *'

@description('Evaluation schedule, six-field NCRONTAB.')
param evaluationSchedule string = '50 * * * * *'

@description('Discovery schedule (Linode API to the shared target catalog), six-field NCRONTAB.')
param discoverySchedule string = '20 7 * * * *'

@secure()
@description('A read-only Linode personal access token (lke:read_only, nodebalancers:read_only), stored as the Key Vault secret linode-token. Empty: discovery off.')
param linodeToken string = ''

var tags = { 'azd-env-name': environmentName, product: 'lke-synthetics' }
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: group
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
  }
}

module results 'modules/results-storage.bicep' = {
  name: 'results-storage'
  scope: group
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
  }
}

module secrets 'modules/key-vault.bicep' = {
  name: 'key-vault'
  scope: group
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    linodeToken: linodeToken
  }
}

module vantages 'modules/vantage.bicep' = [for (vantageLocation, i) in vantageLocations: {
  name: 'vantage-${i + 1}'
  scope: group
  params: {
    location: vantageLocation
    tags: tags
    resourceToken: resourceToken
    serviceName: 'vantage-${i + 1}'
    index: i + 1
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    resultsStorageAccountName: results.outputs.storageAccountName
    keyVaultName: secrets.outputs.keyVaultName
    probeSchedule: probeSchedule
    evaluationSchedule: evaluationSchedule
    discoverySchedule: discoverySchedule
    // The secret key-vault.bicep creates when a token is given (its name, never its value).
    linodeTokenSecretName: empty(linodeToken) ? '' : 'linode-token'
  }
}]

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  scope: group
  params: {
    location: location
    tags: tags
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    alertEmail: alertEmail
  }
}

module workbook 'modules/workbook.bicep' = {
  name: 'workbook'
  scope: group
  params: {
    location: location
    tags: tags
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

output AZURE_RESOURCE_GROUP string = group.name
output SYNTHETICS_VANTAGE_1_APP string = vantages[0].outputs.functionAppName
output SYNTHETICS_VANTAGE_2_APP string = vantages[1].outputs.functionAppName
output SYNTHETICS_VANTAGE_3_APP string = vantages[2].outputs.functionAppName
output SYNTHETICS_RESULTS_TABLE_ENDPOINT string = results.outputs.tableEndpoint
output SYNTHETICS_KEY_VAULT_URI string = secrets.outputs.keyVaultUri
