// Azure region codes ("southeastasia") in words. The reservation catalog carries titles too; the
// commitment views only get codes, so the common regions are named here.

const names: Record<string, string> = {
  australiacentral: 'Australia Central',
  australiaeast: 'Australia East',
  australiasoutheast: 'Australia Southeast',
  brazilsouth: 'Brazil South',
  canadacentral: 'Canada Central',
  canadaeast: 'Canada East',
  centralindia: 'Central India',
  centralus: 'Central US',
  eastasia: 'East Asia',
  eastus: 'East US',
  eastus2: 'East US 2',
  francecentral: 'France Central',
  germanywestcentral: 'Germany West Central',
  indonesiacentral: 'Indonesia Central',
  japaneast: 'Japan East',
  japanwest: 'Japan West',
  koreacentral: 'Korea Central',
  malaysiawest: 'Malaysia West',
  northcentralus: 'North Central US',
  northeurope: 'North Europe',
  norwayeast: 'Norway East',
  southafricanorth: 'South Africa North',
  southcentralus: 'South Central US',
  southeastasia: 'Southeast Asia',
  southindia: 'South India',
  swedencentral: 'Sweden Central',
  switzerlandnorth: 'Switzerland North',
  uaenorth: 'UAE North',
  uksouth: 'UK South',
  ukwest: 'UK West',
  westcentralus: 'West Central US',
  westeurope: 'West Europe',
  westus: 'West US',
  westus2: 'West US 2',
  westus3: 'West US 3',
};

export function regionName(code: string | null | undefined): string {
  if (!code) return '';
  return names[code.toLowerCase()] ?? code;
}
