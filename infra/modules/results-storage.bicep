// The results and incident tables every vantage point and the evaluator share. Keys are disabled: identity only.
param location string
param tags object
param resourceToken string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stres${take(resourceToken, 17)}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

output storageAccountName string = account.name
output tableEndpoint string = account.properties.primaryEndpoints.table
