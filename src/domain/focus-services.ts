/**
 * How Azure's meters read in FOCUS's words: ServiceName / ServiceCategory / ServiceSubcategory,
 * the unit a meter is priced in, region names and resource labels. Each ServiceName has exactly
 * one category (FOCUS's rule), so the category follows from the name alone.
 */

export interface FocusService {
  name: string;
  category: string;
  subcategory: string;
}

const categoryOf: Record<string, string> = {
  'Virtual Machines': 'Compute',
  'Virtual Machines Licenses': 'Compute',
  Storage: 'Storage',
  Bandwidth: 'Networking',
  'Azure Savings Plan for Compute': 'Compute',
};

/** A usage meter's service (Mitra's usage rows name the meter category and the SKU). */
export function serviceOfMeter(meterCategory: string, sku: string): FocusService {
  switch (meterCategory) {
    case 'Virtual Machines':
    case 'Virtual Machines Licenses':
      return { name: meterCategory, category: 'Compute', subcategory: 'Virtual Machines' };
    case 'Storage':
      return {
        name: 'Storage',
        category: 'Storage',
        subcategory: /disk/i.test(sku)
          ? 'Block Storage'
          : /blob/i.test(sku)
            ? 'Object Storage'
            : /file/i.test(sku)
              ? 'File Storage'
              : 'Other (Storage)',
      };
    case 'Bandwidth':
      return { name: 'Bandwidth', category: 'Networking', subcategory: 'Network Connectivity' };
    default:
      return {
        name: meterCategory,
        category: categoryOf[meterCategory] ?? 'Other',
        subcategory: categoryOf[meterCategory] ? `Other (${categoryOf[meterCategory]})` : 'Other (Other)',
      };
  }
}

/** A reservation's service is what it reserves; a savings plan's is compute. */
export function serviceOfCommitment(
  kind: 'reservation' | 'savings_plan',
  reservedResourceType: string | null,
) {
  if (kind === 'savings_plan')
    return { name: 'Azure Savings Plan for Compute', category: 'Compute', subcategory: 'Other (Compute)' };
  if ((reservedResourceType ?? 'VirtualMachines') === 'VirtualMachines')
    return serviceOfMeter('Virtual Machines', '');
  return { name: `${reservedResourceType} Reservations`, category: 'Other', subcategory: 'Other (Other)' };
}

/** The unit a meter is priced and consumed in (FOCUS unit forms: Hours, GB, GB-Months, Units/Month). */
export function unitOfMeter(meterCategory: string, sku: string): string {
  if (meterCategory === 'Virtual Machines' || meterCategory === 'Virtual Machines Licenses') return 'Hours';
  if (meterCategory === 'Bandwidth') return 'GB';
  if (meterCategory === 'Storage') return /data stored/i.test(sku) ? 'GB-Months' : 'Units/Month';
  return 'Units';
}

/** `Microsoft.Compute/virtualMachines` from an ARM resource id (null when it names none). */
export function armTypeOf(resourceId: string): string | null {
  const m = /\/providers\/([^/]+)\/([^/]+)\/[^/]+$/i.exec(resourceId);
  return m ? `${m[1]}/${m[2]}` : null;
}

const resourceLabels: Record<string, string> = {
  'microsoft.compute/virtualmachines': 'Virtual machine',
  'microsoft.compute/disks': 'Disk',
  'microsoft.storage/storageaccounts': 'Storage account',
  'microsoft.network/publicipaddresses': 'Public IP address',
};

/** FOCUS's ResourceType is a display label; the ARM type goes to x_ResourceType. */
export const resourceLabelOf = (armType: string | null) =>
  armType ? (resourceLabels[armType.toLowerCase()] ?? armType) : 'Resource';

/** The last segment of a resource id: its name, as the owner gave it. */
export const resourceNameOf = (resourceId: string) => resourceId.split('/').filter(Boolean).at(-1) ?? null;
