// One vantage point: a Flex Consumption Function App (.NET 10 isolated) in its own Azure region, with its own
// identity and host storage, writing results to the shared tables and telemetry to the shared Application Insights.
param location string
param tags object
param resourceToken string
@description('The azd service this app deploys as (azure.yaml).')
param serviceName string
param index int
param applicationInsightsName string
param resultsStorageAccountName string
param keyVaultName string
param probeSchedule string
param evaluationSchedule string
param discoverySchedule string
@description('Key Vault secret holding the Linode token; empty: discovery off.')
param linodeTokenSecretName string = ''

var deploymentContainer = 'app-package'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${resourceToken}-${index}'
  location: location
  tags: tags
}

// Host storage (timer leases, deployment package, parked outbox batches) in the vantage's own region.
resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take('sthost${index}${resourceToken}', 24)
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: hostStorage
  name: 'default'
}

resource packageContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainer
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${resourceToken}-${index}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource resultsStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: resultsStorageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: 'func-${resourceToken}-${index}'
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [
        { name: 'AzureWebJobsStorage__accountName', value: hostStorage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'Synthetics__VantagePoint', value: location }
        { name: 'Synthetics__ProbeSchedule', value: probeSchedule }
        { name: 'Synthetics__EvaluationSchedule', value: evaluationSchedule }
        // Timer expressions read app settings, not option defaults: every schedule is set here.
        { name: 'Synthetics__RetentionSchedule', value: '0 17 * * * *' }
        { name: 'Synthetics__DiscoverySchedule', value: discoverySchedule }
        { name: 'Synthetics__MaintenanceSchedule', value: '40 */15 * * * *' }
        // Discovery reads the Linode API with the token from Key Vault; without the secret the setting is empty (off).
        {
          name: 'Synthetics__Linode__Token'
          value: empty(linodeTokenSecretName) ? '' : '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${linodeTokenSecretName})'
        }
        { name: 'Synthetics__Storage__Endpoint', value: resultsStorage.properties.primaryEndpoints.table }
        // The outbox parks what a flush could not store in the app's own host storage, in its own region: a recycled
        // or scaled-in instance loses nothing, and any instance of this vantage writes it later.
        { name: 'Synthetics__Storage__OutboxEndpoint', value: hostStorage.properties.primaryEndpoints.table }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostStorage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      // A probe cycle is one invocation a minute: one instance suffices; two at most while one drains.
      scaleAndConcurrency: {
        maximumInstanceCount: 40
        instanceMemoryMB: 2048
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
  dependsOn: [packageContainer]
}

// Role assignments: deterministic names, the role in a comment.
resource hostBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, identity.id, 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
  scope: hostStorage
  properties: {
    // Storage Blob Data Owner: timer leases and the deployment package.
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource hostTableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, identity.id, '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
  scope: hostStorage
  properties: {
    // Storage Table Data Contributor: the outbox's parked batches (table SyntheticsOutbox) on the app's own host storage.
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource resultsTableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resultsStorage.id, identity.id, '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
  scope: resultsStorage
  properties: {
    // Storage Table Data Contributor: write results, read windows, keep incident state.
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource telemetryPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, identity.id, '3913510d-42f4-4e42-8a64-420c390055eb')
  scope: applicationInsights
  properties: {
    // Monitoring Metrics Publisher: send telemetry with Entra auth (local auth is disabled).
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, '4633458b-17de-408a-b874-0445c86b69e6')
  scope: vault
  properties: {
    // Key Vault Secrets User: read kubeconfigs and the Linode token, nothing else.
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

output functionAppName string = app.name
