import { paths } from '../../../router.tsx';

/** `?addAzurePlan=1` on the Subscriptions tab opens the "Add Azure plan" dialog at once. */
export const addAzurePlanParam = 'addAzurePlan';

export const addAzurePlanHref = (customerId: string) =>
  `${paths.customer(customerId, 'subscriptions')}?${addAzurePlanParam}=1`;

/** Whether the page was opened to add an Azure plan (a link from the permissions or buy page). */
export const openedToAddAzurePlan = () =>
  new URLSearchParams(window.location.search).get(addAzurePlanParam) === '1';

/** The partner's "Buy a reservation / savings plan" page for a customer, under its tab. */
export const buyForCustomerHref = (customerId: string, kind: 'reservation' | 'savings_plan') =>
  `${paths.customer(customerId, kind === 'reservation' ? 'reservations' : 'savings-plans')}/buy`;

/** The item segment that opens the buy page instead of a commitment's drawer. */
export const buySegment = 'buy';
