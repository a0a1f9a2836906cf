/** The JSON shapes of the engine contract (`shared/spec/benefits.md`). */

export interface UsageRowInput {
  rowId: string;
  /** Any instant inside the UTC hour; the row belongs to that hour. */
  hour: string;
  /** Only for inputs that hold several customers; absent means the one default customer. */
  customer?: string;
  subscription: string;
  resourceGroup?: string;
  region?: string;
  /** null or absent: not eligible for reservations. */
  reservedResourceType?: string | null;
  sku?: string;
  isfGroup?: string | null;
  skuRatio?: number | null;
  quantity: number;
  paygUnitPrice: number;
  /** Absent: not eligible for savings plans; a missing term: not eligible for plans of that term. */
  spUnitPrice?: { P1Y?: number | null; P3Y?: number | null } | null;
  /** Default true; false for licence, storage and network rows. */
  benefitEligible?: boolean;
}

export type ScopeInput =
  | { type: 'ResourceGroup'; subscription: string; resourceGroup: string }
  | { type: 'Subscription'; subscription: string }
  | { type: 'ManagementGroup'; managementGroup: string }
  | { type: 'Shared' };

interface CommitmentCommon {
  id: string;
  customer?: string;
  /** Date or timestamp; the commitment applies from the hour that contains it. Absent: always. */
  purchaseDate?: string;
  scope: ScopeInput;
}

export interface ReservationInput extends CommitmentCommon {
  type: 'reservation';
  reservedResourceType: string;
  sku: string;
  region: string;
  isfGroup?: string;
  skuRatio?: number;
  /** Absent: On for VirtualMachines, Off for other types. */
  instanceFlexibility?: 'On' | 'Off';
  quantity: number;
  /** P1Y, P3Y, P5Y… */
  term: string;
  amortizedHourlyCost: number;
}

export interface SavingsPlanInput extends CommitmentCommon {
  type: 'savingsPlan';
  term: 'P1Y' | 'P3Y';
  hourlyCommitment: number;
  currency?: string;
}

export type CommitmentInput = ReservationInput | SavingsPlanInput;

export interface BenefitContext {
  managementGroups?: Record<string, string[]>;
}

export interface BenefitInput {
  context?: BenefitContext;
  /** Hours to report; default: the hours present in each customer's usage. */
  hours?: string[];
  usage: UsageRowInput[];
  commitments?: CommitmentInput[];
}

export interface CoveragePart {
  by: string;
  quantity: number;
  /** Savings plans only: commitment spent, in the plan's currency. */
  consumed?: number;
}

export interface RowResult {
  rowId: string;
  coverage: CoveragePart[];
  paygQuantity: number;
  actualCost: number;
  amortizedCost: number;
}

export interface CommitmentResult {
  id: string;
  /** null when the commitment is active in none of the reported hours. */
  utilizationPct: number | null;
  /** Reservations in normalized units, savings plans in currency. */
  consumed: number;
  unused: number;
  unusedAmortizedCost: number;
}

export interface HourResult {
  hour: string;
  id: string;
  capacity: number;
  consumed: number;
  unused: number;
  utilizationPct: number;
}

export interface BenefitOutput {
  rows: RowResult[];
  commitments: CommitmentResult[];
  perHour: HourResult[];
}

export interface Totals {
  usageQuantity: number;
  coveredQuantity: number;
  paygQuantity: number;
  actualCost: number;
  /** Usage rows' amortized cost plus the unused charges, as amortized cost data shows them. */
  amortizedCost: number;
  /** UnusedReservation plus UnusedBenefit charges (already inside amortizedCost). */
  unusedAmortizedCost: number;
}
