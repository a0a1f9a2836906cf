import type { PartnerRole } from '../store/schema.ts';

/**
 * Who is acting. Every service takes one, so authorisation is decided from the same facts whether
 * the call came through the portal, the partner-center dialect, ARM or Mitra's API.
 */
export type Actor =
  | {
      kind: 'partner_user';
      userId: string;
      partnerId: string;
      email: string;
      roles: PartnerRole[];
      /** Set when the user acts through a registered application (App+User). */
      applicationId: string | null;
    }
  | { kind: 'application'; applicationId: string; partnerId: string; roles: PartnerRole[] }
  | { kind: 'customer_user'; userId: string; customerId: string; partnerId: string; email: string }
  | { kind: 'system'; partnerId: string };

export function principalName(actor: Actor): string | null {
  return actor.kind === 'partner_user' || actor.kind === 'customer_user' ? actor.email : null;
}

export function actorId(actor: Actor): string | null {
  switch (actor.kind) {
    case 'partner_user':
    case 'customer_user':
      return actor.userId;
    case 'application':
      return actor.applicationId;
    case 'system':
      return null;
  }
}

export function applicationOf(actor: Actor): string | null {
  if (actor.kind === 'application') return actor.applicationId;
  if (actor.kind === 'partner_user') return actor.applicationId;
  return null;
}
