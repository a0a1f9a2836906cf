import type { PartnerRole } from '../store/schema.ts';
import type { Actor } from './actor.ts';
import { forbidden, MitraError } from './errors.ts';

/**
 * Named authorisation policies. Every route declares one (a test fails when a route has none) and
 * the service it calls checks the same policy again with `authorize`, so no path skips it.
 */
export interface Policy {
  readonly name: string;
  readonly description: string;
  /** `true` when the route may be called without any credentials. */
  readonly anonymous?: boolean;
  /**
   * `true` for the `mitra` command's routes (/api/cli/…): only the operator credential, from this
   * machine, passes; no user's or application's token does (src/api/operator-auth.ts).
   */
  readonly operator?: boolean;
  allows(actor: Actor): boolean;
  refusal(actor: Actor): MitraError;
}

const partnerRoles = (actor: Actor): PartnerRole[] =>
  actor.kind === 'partner_user' || actor.kind === 'application' ? actor.roles : [];

function partnerPolicy(name: string, description: string, roles: PartnerRole[], appOnly: boolean): Policy {
  return {
    name,
    description,
    allows: (actor) =>
      (actor.kind === 'partner_user' || (appOnly && actor.kind === 'application')) &&
      partnerRoles(actor).some((r) => roles.includes(r)),
    refusal: (actor) => {
      if (actor.kind === 'application' && !appOnly) {
        return forbidden(
          'app-user-required',
          'This operation needs a partner user: sign in with grant_type=password (App+User), not an application-only token.',
        );
      }
      if (actor.kind === 'customer_user') {
        return forbidden('partner-user-required', 'Only your partner can do this; ask your partner.');
      }
      if (roles.length === 1 && roles[0] === 'admin_agent') {
        return forbidden(
          'admin-agent-required',
          'Only an Admin agent can do this; ask an Admin agent of your organisation.',
        );
      }
      return forbidden(
        'role-not-allowed',
        `Your role cannot do this; it needs one of: ${roles.map(roleLabel).join(', ')}.`,
      );
    },
  };
}

export function roleLabel(role: PartnerRole): string {
  return { admin_agent: 'Admin agent', sales_agent: 'Sales agent', helpdesk_agent: 'Helpdesk agent' }[role];
}

const allPartnerRoles: PartnerRole[] = ['admin_agent', 'sales_agent', 'helpdesk_agent'];

const policyTable = {
  public: {
    name: 'public',
    description: 'Anyone, without credentials.',
    anonymous: true,
    allows: () => true,
    refusal: () => forbidden('forbidden', 'Not allowed.'),
  },
  signedIn: {
    name: 'signedIn',
    description: 'Any signed-in user or application.',
    allows: () => true,
    refusal: () => forbidden('forbidden', 'Not allowed.'),
  },
  partnerRead: partnerPolicy(
    'partnerRead',
    'Any partner user (Admin, Sales or Helpdesk agent) or partner application.',
    allPartnerRoles,
    true,
  ),
  customersCreate: partnerPolicy(
    'customersCreate',
    'Admin or Sales agents, or a partner application.',
    ['admin_agent', 'sales_agent'],
    true,
  ),
  ordersCreate: partnerPolicy(
    'ordersCreate',
    'Admin or Sales agents, or a partner application.',
    ['admin_agent', 'sales_agent'],
    true,
  ),
  pricesRead: partnerPolicy('pricesRead', 'Admin agents (user or application).', ['admin_agent'], true),
  applicationsManage: partnerPolicy(
    'applicationsManage',
    'Admin agents signed in as themselves.',
    ['admin_agent'],
    false,
  ),
  partnerUserRead: partnerPolicy(
    'partnerUserRead',
    'Any partner user (App+User); application-only tokens are refused, as partner center does for self-serve policies.',
    allPartnerRoles,
    false,
  ),
  permissionsAttempt: partnerPolicy(
    'permissionsAttempt',
    'Any partner user or application may ask; the service lets only Admin agents (App+User) change customer permissions and records every refusal.',
    allPartnerRoles,
    true,
  ),
  permissionsManage: partnerPolicy(
    'permissionsManage',
    'Admin agents signed in as themselves (App+User).',
    ['admin_agent'],
    false,
  ),
  roleAssignmentsManage: partnerPolicy(
    'roleAssignmentsManage',
    "Admin agents (user or application), acting on their customers' subscriptions.",
    ['admin_agent'],
    true,
  ),
  commitmentsManage: partnerPolicy(
    'commitmentsManage',
    "Admin agents (user or application): scope, renewal, refund and exchange of a customer's reservations.",
    ['admin_agent'],
    true,
  ),
  priceListsAttempt: partnerPolicy(
    'priceListsAttempt',
    'Any partner user or application may ask; the service lets only Admin agents change price lists and records every refusal.',
    allPartnerRoles,
    true,
  ),
  priceListsManage: partnerPolicy(
    'priceListsManage',
    'Admin agents (user or application): customer price lists, the default list and its settings.',
    ['admin_agent'],
    true,
  ),
  costManagementAttempt: partnerPolicy(
    'costManagementAttempt',
    "Any partner user or application may ask; the service lets only Admin agents switch a customer's cost management and records every refusal.",
    allPartnerRoles,
    true,
  ),
  costManagementManage: partnerPolicy(
    'costManagementManage',
    "Admin agents (user or application): switch a customer's cost management on or off (R17).",
    ['admin_agent'],
    true,
  ),
  guardrailsAttempt: partnerPolicy(
    'guardrailsAttempt',
    "Any partner user or application may ask; the service lets only Admin agents set a customer's spend guardrails and records every refusal.",
    allPartnerRoles,
    true,
  ),
  guardrailsManage: partnerPolicy(
    'guardrailsManage',
    "Admin agents (user or application): a customer's monthly limit and approval threshold (B2).",
    ['admin_agent'],
    true,
  ),
  approvalsDecide: partnerPolicy(
    'approvalsDecide',
    "Admin agents (user or application): approve or decline a customer's purchase held for approval (B2).",
    ['admin_agent'],
    true,
  ),
  webhooksRead: partnerPolicy(
    'webhooksRead',
    "Admin agents (user or application): the partner's webhook endpoints and their deliveries (B1).",
    ['admin_agent'],
    true,
  ),
  webhooksAttempt: partnerPolicy(
    'webhooksAttempt',
    'Any partner user or application may ask; the service lets only Admin agents change webhook endpoints and records every refusal.',
    allPartnerRoles,
    true,
  ),
  webhooksManage: partnerPolicy(
    'webhooksManage',
    'Admin agents (user or application): register, change, delete, rotate, test and replay webhook endpoints (B1).',
    ['admin_agent'],
    true,
  ),
  subscriptionAccess: {
    name: 'subscriptionAccess',
    description:
      "Partner users and applications, or customer users; the service checks the caller's role on the subscription.",
    allows: (actor: Actor) => actor.kind !== 'system',
    refusal: () => forbidden('forbidden', 'Not allowed.'),
  },
  invoicesRead: partnerPolicy(
    'invoicesRead',
    "Admin agents (user or application): a customer's invoices and credit notes.",
    ['admin_agent'],
    true,
  ),
  invoicesAttempt: partnerPolicy(
    'invoicesAttempt',
    'Any partner user or application may ask; the service lets only Admin agents close months and issue invoices or credit notes, and records every refusal.',
    allPartnerRoles,
    true,
  ),
  invoicesIssue: partnerPolicy(
    'invoicesIssue',
    'Admin agents (user or application): close a month, issue invoices and credit notes.',
    ['admin_agent'],
    true,
  ),
  // Usage drives what customers are invoiced, like closing a month: Admin agents only.
  usageImport: partnerPolicy(
    'usageImport',
    "Admin agents (user or application): import usage of the partner's own customers (Mitra CSV or FOCUS).",
    ['admin_agent'],
    true,
  ),
  auditRead: partnerPolicy('auditRead', 'Any partner user or partner application.', allPartnerRoles, true),
  localOperator: {
    name: 'localOperator',
    description:
      "The `mitra` command on the server's own machine, with the operator credential from the data folder's lock file (mode 0600); never a user's or application's token.",
    operator: true,
    allows: () => false,
    refusal: () =>
      forbidden('operator-required', "Only the `mitra` command on the server's own machine can do this."),
  },
  customerSelf: {
    name: 'customerSelf',
    description: 'A customer user, on their own tenant.',
    allows: (actor: Actor) => actor.kind === 'customer_user',
    refusal: () =>
      forbidden('customer-user-required', 'This is part of the customer portal; sign in as a customer user.'),
  },
  // The partner's own jobs in the portal (R20): customer users and billing profiles.
  customerUsersManage: partnerPolicy(
    'customerUsersManage',
    "Admin agents (user or application): create users in their customers' tenants, as partner center's user management (AOBO) does.",
    ['admin_agent'],
    true,
  ),
  billingProfileAttempt: partnerPolicy(
    'billingProfileAttempt',
    "Any partner user or application may ask; the service lets Admin and Helpdesk agents change a customer's billing profile and records every refusal.",
    allPartnerRoles,
    true,
  ),
  // Partner center gives "edit customer details" to Admin and Helpdesk agents; Sales agents only
  // read them (shared/spec/reference/partner-center-api.md, CSP roles).
  billingProfileEdit: partnerPolicy(
    'billingProfileEdit',
    'Admin or Helpdesk agents, or a partner application.',
    ['admin_agent', 'helpdesk_agent'],
    true,
  ),
  // The notification feed and its preferences (B1): a partner user's own, so App+User only.
  partnerUserSelf: partnerPolicy(
    'partnerUserSelf',
    'Any partner user signed in as themselves (App+User): their own notification feed and preferences; an application-only token has no feed.',
    allPartnerRoles,
    false,
  ),
  // Alert settings (B11): everybody of the partner reads; the service lets only Admin agents change them.
  alertSettingsAttempt: partnerPolicy(
    'alertSettingsAttempt',
    "Any partner user or application may ask; the service lets only Admin agents change the partner's alert settings and records every refusal.",
    allPartnerRoles,
    true,
  ),
  alertSettingsManage: partnerPolicy(
    'alertSettingsManage',
    "Admin agents (user or application): the partner's alert settings (B11).",
    ['admin_agent'],
    true,
  ),
} satisfies Record<string, Policy>;

export type PolicyName = keyof typeof policyTable;
export const policies: Record<PolicyName, Policy> = policyTable;

/** Throws the policy's own refusal unless the actor passes it. */
export function authorize(actor: Actor, policy: PolicyName): void {
  const p = policies[policy];
  if (!p.allows(actor)) throw p.refusal(actor);
}

export function isMitraError(error: unknown): error is MitraError {
  return error instanceof MitraError;
}
