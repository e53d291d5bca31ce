// Kubeconfigs of the canary identity and the read-only Linode token live here and reach the apps as references.
param location string
param tags object
param resourceToken string

@secure()
@description('The read-only Linode token; empty: no secret, discovery off.')
param linodeToken string = ''

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

// The apps read it through a Key Vault reference in Synthetics__Linode__Token; it never sits in an app setting.
resource linodeTokenSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(linodeToken)) {
  parent: vault
  name: 'linode-token'
  properties: {
    value: linodeToken
    contentType: 'Linode personal access token, read-only scopes'
  }
}

output keyVaultName string = vault.name
output keyVaultUri string = vault.properties.vaultUri
