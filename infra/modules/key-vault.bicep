// Kubeconfigs of the canary identity and the read-only Linode token live here and reach the apps as references.
param location string
param tags object
param resourceToken string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${take(resourceToken, 20)}'
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 30
    enablePurgeProtection: true
  }
}

output keyVaultName string = vault.name
output keyVaultUri string = vault.properties.vaultUri
