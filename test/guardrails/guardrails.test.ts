import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import Big from 'big.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventData } from '../../src/api/mitra/event-schemas.ts';
import type { EventType } from '../../src/domain/events.ts';
import { checkGuardrailAlerts } from '../../src/services/guardrails.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { allow, buy, fabrikam, reservationBody, savingsPlanBody } from '../support/commitments.ts';
import { databaseKinds } from '../support/db.ts';

// The payload contract's formats, checked as a receiver's validator would.
if (!FormatRegistry.Has('uuid'))
  FormatRegistry.Set('uuid', (v) =>
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  );
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (v) => !Number.isNaN(Date.parse(v)));
if (!FormatRegistry.Has('date')) FormatRegistry.Set('date', (v) => /^\d{4}-\d{2}-\d{2}$/.test(v));

describe.each(databaseKinds)('spend guardrails and approvals through the Mitra API on %s', (kind) => {
  let world: TestWorld;
  let price: string;
  const db = () => world.handle.db;

  const put = async (body: unknown, email: string = users.admin, customerId = fabrikam) =>
    world.app.inject({
      method: 'PUT',
      url: `/api/customers/${customerId}/guardrails`,
      headers: await world.as(email),
      payload: body as Record<string, unknown>,
    });
  const usd = (amount: Big | string | number) => ({ amount: new Big(amount).toFixed(2), currency: 'USD' });
  const decide = async (
    id: string,
    action: 'approve' | 'decline',
    email: string = users.admin,
    body?: object,
  ) =>
    world.app.inject({
      method: 'POST',
      url: `/api/approvals/${id}/${action}`,
      headers: await world.as(email),
      ...(body ? { payload: body } : {}),
    });
  const events = async (type: EventType) => {
    const rows = await db()
      .selectFrom('partner_events')
      .select(['type', 'data'])
      .where('type', '=', type)
      .where('customer_id', '=', fabrikam)
      .execute();
    for (const r of rows) expect(Value.Check(eventData[type], r.data), JSON.stringify(r.data)).toBe(true);
    return rows;
  };
  const audit = (operation: string) =>
    db()
      .selectFrom('audit_records')
      .select(['operation_status', 'user_principal_name', 'customized_data'])
      .where('operation_type', '=', operation as never)
      .orderBy('seq')
      .execute();

  beforeAll(async () => {
    world = await demoWorld(kind);
    await allow(world, 'AzureReservedInstances');
    await allow(world, 'AzureSavingsPlan');
    const quote = await world.app.inject({
      method: 'POST',
      url: '/api/my/reservations/quote',
      headers: await world.as(users.fabrikamOwner),
      payload: reservationBody(),
    });
    expect(quote.statusCode, quote.body).toBe(200);
    price = quote.json().total;
    expect(quote.json().currency).toBe('USD');
  });
  afterAll(() => world.close());
  beforeEach(async () => {
    // Each case starts from a month without purchases or guardrails.
    await db().deleteFrom('purchase_approvals').execute();
    await db().deleteFrom('customer_guardrails').execute();
    // Earlier cases' purchases move to an old month (ledger entries are never deleted).
    await db()
      .updateTable('commitments')
      .set({ purchased_at: new Date('2020-01-15T00:00:00Z') })
      .where('customer_id', '=', fabrikam)
      .execute();
    // Earlier cases' events step aside (kept, not counted; their once-only keys freed).
    await db()
      .updateTable('partner_events')
      .set({ customer_id: null, condition_key: sql<string>`condition_key || ':' || id::text` })
      .where('customer_id', '=', fabrikam)
      .execute();
    await allow(world, 'AzureReservedInstances');
  });

  it('validates amounts and currencies, refuses a currency without a stored rate, and reads back who set it', async () => {
    const bad = await put({ monthlyLimit: { amount: '-5', currency: 'USD' }, approvalThreshold: null });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid-amount');
    expect(bad.json().error.message).toMatch(/positive amount/);
    const unknown = await put({ monthlyLimit: { amount: '5', currency: 'XYZ' }, approvalThreshold: null });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('invalid-currency');
    const noRate = await put({ monthlyLimit: { amount: '5', currency: 'JPY' }, approvalThreshold: null });
    expect(noRate.statusCode).toBe(409);
    expect(noRate.json().error.code).toBe('guardrail-rate-missing');
    expect(noRate.json().error.message).toMatch(/set the amount in IDR, or import a JPY→IDR rate/);
    const missingField = await put({ monthlyLimit: null });
    expect(missingField.statusCode).toBe(400);

    const ok = await put({
      monthlyLimit: usd(1000),
      approvalThreshold: { amount: '5000000', currency: 'IDR' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const got = await world.app.inject({
      method: 'GET',
      url: `/api/customers/${fabrikam}/guardrails`,
      headers: await world.as(users.helpdesk),
    });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({
      monthlyLimit: { amount: '1000.00', currency: 'USD' },
      approvalThreshold: { amount: '5000000.00', currency: 'IDR' },
      changedBy: users.admin,
      billingCurrency: 'IDR',
      spent: { amount: '0.00', currency: 'IDR' },
    });
    // The limit in the billing currency at the stored USD→IDR rate; nothing spent, all of it remains.
    expect(got.json().remaining).toEqual(got.json().limitInBillingCurrency);
    expect(Number(got.json().remaining.amount)).toBeGreaterThan(1000 * 15_000);
    expect(
      (await audit('update_customer_guardrails')).filter((r) => r.operation_status === 'succeeded'),
    ).toHaveLength(1);
  });

  it('only Admin agents set guardrails: others are refused and the refusal recorded; another partner gets 404', async () => {
    const before = (await audit('update_customer_guardrails')).length;
    const sales = await put({ monthlyLimit: usd(10), approvalThreshold: null }, users.sales);
    expect(sales.statusCode).toBe(403);
    expect(sales.json().error.code).toBe('admin-agent-required');
    const records = await audit('update_customer_guardrails');
    expect(records).toHaveLength(before + 1);
    expect(records.at(-1)).toMatchObject({ operation_status: 'decline', user_principal_name: users.sales });
    const customer = await put({ monthlyLimit: usd(10), approvalThreshold: null }, users.fabrikamOwner);
    expect(customer.statusCode).toBe(403);
    const other = await put({ monthlyLimit: usd(10), approvalThreshold: null }, users.litwareAdmin);
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('customer-not-found');
  });

  it('refuses a purchase that would cross the monthly limit, with what remains, and alerts once at 80%', async () => {
    // Limit: 1.2 purchases. The first reaches 83% (alert), the second would cross it.
    expect(
      (await put({ monthlyLimit: usd(new Big(price).times('1.2')), approvalThreshold: null })).statusCode,
    ).toBe(200);
    const first = await buy(world, users.fabrikamOwner, 'reservations', reservationBody());
    expect(first.statusCode, first.body).toBe(201);
    expect(await events('guardrail.threshold.reached')).toHaveLength(1);
    const second = await buy(world, users.fabrikamOwner, 'reservations', reservationBody());
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('monthly-limit-exceeded');
    expect(second.json().error.message).toMatch(
      /would go over your monthly purchase limit for \d{4}-\d{2}: IDR [\d.]+ remains of IDR/,
    );
    // The partner's own purchase counts but is never refused (guardrails are for customer users).
    const partner = await world.app.inject({
      method: 'POST',
      url: `/api/customers/${fabrikam}/reservations`,
      headers: { ...(await world.as(users.admin)), 'idempotency-key': crypto.randomUUID() },
      payload: reservationBody(),
    });
    expect(partner.statusCode, partner.body).toBe(201);
    const view = await world.app.inject({
      method: 'GET',
      url: `/api/customers/${fabrikam}/guardrails`,
      headers: await world.as(users.admin),
    });
    expect(view.json().remaining.amount).toBe('0.00');
    // Raising the limit lets the customer buy again; the month's alert is not raised twice.
    await put({ monthlyLimit: usd(new Big(price).times('3.5')), approvalThreshold: null });
    expect((await buy(world, users.fabrikamOwner, 'reservations', reservationBody())).statusCode).toBe(201);
    expect(await events('guardrail.threshold.reached')).toHaveLength(1);
  });

  it('the background check alerts for a limit lowered below what was already spent, once', async () => {
    expect((await buy(world, users.fabrikamOwner, 'reservations', reservationBody())).statusCode).toBe(201);
    // Set straight in the table (as an older server would have): the PUT itself would alert.
    await db()
      .insertInto('customer_guardrails')
      .values({
        customer_id: fabrikam,
        partner_id: (
          await db()
            .selectFrom('customers')
            .select('partner_id')
            .where('id', '=', fabrikam)
            .executeTakeFirstOrThrow()
        ).partner_id,
        monthly_limit_amount: new Big(price).div(2).toFixed(2),
        monthly_limit_currency: 'USD',
        approval_threshold_amount: null,
        approval_threshold_currency: null,
        changed_at: new Date(),
        changed_by: 'test',
      })
      .execute();
    expect(await events('guardrail.threshold.reached')).toHaveLength(0);
    expect(await checkGuardrailAlerts(db())).toBe(1);
    expect(await checkGuardrailAlerts(db())).toBe(0);
    const [alert] = await events('guardrail.threshold.reached');
    expect((alert.data as { percent: number }).percent).toBeGreaterThanOrEqual(199);
  });

  it('holds a purchase above the threshold, answers retries with the same approval, and buys it when approved', async () => {
    await put({ monthlyLimit: null, approvalThreshold: usd(new Big(price).div(2)) });
    const key = crypto.randomUUID();
    const held = await buy(world, users.fabrikamOwner, 'reservations', reservationBody(), key);
    expect(held.statusCode, held.body).toBe(202);
    expect(held.json()).toEqual({ status: 'awaiting-approval', approvalId: expect.any(String) });
    const { approvalId } = held.json();
    const retry = await buy(world, users.fabrikamOwner, 'reservations', reservationBody(), key);
    expect(retry.statusCode).toBe(202);
    expect(retry.json().approvalId).toBe(approvalId);
    expect(
      await db()
        .selectFrom('commitments')
        .select('id')
        .where('customer_id', '=', fabrikam)
        .where('purchased_at', '>', new Date('2021-01-01'))
        .execute(),
    ).toHaveLength(0);

    const mine = await world.app.inject({
      method: 'GET',
      url: '/api/my/reservations',
      headers: await world.as(users.fabrikamOwner),
    });
    // Listed first, marked awaiting approval; nothing in the list is bought from it.
    expect(mine.json().items[0]).toMatchObject({
      id: approvalId,
      status: 'awaiting-approval',
      totalPrice: price,
    });
    expect(
      mine.json().items.filter((i: { orderId: string }) => i.orderId === mine.json().items[0].orderId),
    ).toHaveLength(1);
    const pending = await world.app.inject({
      method: 'GET',
      url: '/api/approvals?status=pending',
      headers: await world.as(users.admin),
    });
    expect(pending.statusCode, pending.body).toBe(200);
    expect(pending.json().items).toEqual([
      expect.objectContaining({
        id: approvalId,
        customer: { id: fabrikam, name: 'Fabrikam' },
        requestedBy: users.fabrikamOwner,
        total: price,
        status: 'pending',
      }),
    ]);
    // A below-threshold savings plan is bought straight away.
    expect(
      (await buy(world, users.fabrikamOwner, 'savings-plans', savingsPlanBody({ hourlyCommitment: '0.01' })))
        .statusCode,
    ).toBe(201);

    expect((await decide(approvalId, 'approve', users.litwareAdmin)).statusCode).toBe(404);
    expect((await decide(approvalId, 'approve', users.sales)).statusCode).toBe(403);
    const approved = await decide(approvalId, 'approve');
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', decidedBy: users.admin });
    const commitmentId = approved.json().commitmentId;
    const bought = await db()
      .selectFrom('commitments')
      .selectAll()
      .where('id', '=', commitmentId)
      .executeTakeFirstOrThrow();
    expect(bought).toMatchObject({
      bought_by: 'customer',
      bought_by_principal: users.fabrikamOwner,
      total_price: price,
    });
    const again = await buy(world, users.fabrikamOwner, 'reservations', reservationBody(), key);
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(commitmentId);
    expect((await decide(approvalId, 'approve')).json().error.code).toBe('approval-not-pending');

    expect(await events('purchase.approval.requested')).not.toHaveLength(0);
    const decided = await events('purchase.approval.decided');
    expect(decided.at(-1)!.data).toMatchObject({
      decision: 'approved',
      commitmentId,
      decidedBy: users.admin,
    });
    expect((await audit('request_purchase_approval')).at(-1)).toMatchObject({
      user_principal_name: users.fabrikamOwner,
    });
    expect((await audit('approve_purchase')).at(-1)).toMatchObject({
      operation_status: 'succeeded',
      user_principal_name: users.admin,
    });
  });

  it('a declined purchase stays declined: the retry says so, with the reason', async () => {
    await put({ monthlyLimit: null, approvalThreshold: usd(1) });
    const key = crypto.randomUUID();
    const { approvalId } = (
      await buy(world, users.fabrikamOwner, 'reservations', reservationBody(), key)
    ).json();
    expect((await decide(approvalId, 'decline', users.admin, { reason: ' ' })).json().error.code).toBe(
      'reason-required',
    );
    const declined = await decide(approvalId, 'decline', users.admin, { reason: 'Over budget this quarter' });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json()).toMatchObject({ status: 'declined', reason: 'Over budget this quarter' });
    const retry = await buy(world, users.fabrikamOwner, 'reservations', reservationBody(), key);
    expect(retry.statusCode).toBe(409);
    expect(retry.json().error).toMatchObject({ code: 'purchase-declined' });
    expect(retry.json().error.message).toContain('Over budget this quarter');
    expect((await events('purchase.approval.decided')).at(-1)!.data).toMatchObject({
      decision: 'declined',
      commitmentId: null,
    });
    expect((await audit('decline_purchase')).at(-1)).toMatchObject({ user_principal_name: users.admin });
  });

  it('refuses, not holds, a purchase the customer may not make; approval re-checks permission at that moment', async () => {
    await put({ monthlyLimit: null, approvalThreshold: usd(1) });
    const reader = await buy(world, users.fabrikamReader, 'reservations', reservationBody());
    expect(reader.statusCode).toBe(403);
    expect(reader.json().error.code).toBe('owner-role-required');
    const { approvalId } = (await buy(world, users.fabrikamOwner, 'reservations', reservationBody())).json();
    await allow(world, 'AzureReservedInstances', false);
    const refused = await decide(approvalId, 'approve');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('permission-not-enabled');
    const still = await world.app.inject({
      method: 'GET',
      url: `/api/approvals/${approvalId}`,
      headers: await world.as(users.admin),
    });
    expect(still.json().status).toBe('pending');
    expect((await audit('approve_purchase')).at(-1)).toMatchObject({ operation_status: 'decline' });
    // Over the limit at approval time: refused too.
    await allow(world, 'AzureReservedInstances');
    await put({ monthlyLimit: usd(new Big(price).div(2)), approvalThreshold: usd(1) });
    const over = await decide(approvalId, 'approve');
    expect(over.statusCode).toBe(409);
    expect(over.json().error.code).toBe('monthly-limit-exceeded');
  });

  it('approval re-checks the Owner role at that moment, and an approval crossing 80% raises the alert', async () => {
    await put({ monthlyLimit: usd(new Big(price).times('1.1')), approvalThreshold: usd(1) });
    const { approvalId } = (await buy(world, users.fabrikamOwner, 'reservations', reservationBody())).json();
    const owner = await db()
      .selectFrom('customer_users')
      .select('id')
      .where('email', '=', users.fabrikamOwner)
      .executeTakeFirstOrThrow();
    const roles = await db()
      .selectFrom('role_assignments')
      .selectAll()
      .where('customer_user_id', '=', owner.id)
      .execute();
    await db().deleteFrom('role_assignments').where('customer_user_id', '=', owner.id).execute();
    try {
      const refused = await decide(approvalId, 'approve');
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('owner-role-required');
    } finally {
      if (roles.length) await db().insertInto('role_assignments').values(roles).execute();
    }
    expect(await events('guardrail.threshold.reached')).toHaveLength(0);
    const approved = await decide(approvalId, 'approve');
    expect(approved.statusCode, approved.body).toBe(200);
    // 1 / 1.1 of the limit: over 80%, raised in the approval's transaction.
    const [alert] = await events('guardrail.threshold.reached');
    expect(alert.data).toMatchObject({ percent: 90.9 });
  });

  it('when the price moved, the approval is refused with the new quote and the customer confirms again', async () => {
    await put({ monthlyLimit: null, approvalThreshold: usd(1) });
    const { approvalId } = (await buy(world, users.fabrikamOwner, 'reservations', reservationBody())).json();
    const item = await db()
      .selectFrom('purchase_approvals')
      .select('price')
      .where('id', '=', approvalId)
      .executeTakeFirstOrThrow();
    const catalogItemId = (item.price as { catalogItemId: string }).catalogItemId;
    const original = await db()
      .selectFrom('prices')
      .select(['unit_price', 'price_list_id', 'term_duration', 'billing_plan'])
      .where('catalog_item_id', '=', catalogItemId)
      .execute();
    try {
      await db()
        .updateTable('prices')
        .set((eb) => ({ unit_price: eb('unit_price', '*', '1.1') }))
        .where('catalog_item_id', '=', catalogItemId)
        .execute();
      const moved = await decide(approvalId, 'approve');
      expect(moved.statusCode).toBe(409);
      expect(moved.json().error.code).toBe('approval-price-changed');
      const newTotal = moved.json().error.details.newQuote.total;
      expect(new Big(newTotal).gt(price)).toBe(true);
      const mine = await world.app.inject({
        method: 'GET',
        url: `/api/my/approvals/${approvalId}`,
        headers: await world.as(users.fabrikamOwner),
      });
      expect(mine.json()).toMatchObject({ status: 'price-changed', newPrice: { total: newTotal } });
      expect((await decide(approvalId, 'approve')).json().error.code).toBe('approval-not-pending');
      const confirm = async (total: string) =>
        world.app.inject({
          method: 'POST',
          url: `/api/my/approvals/${approvalId}/confirm`,
          headers: await world.as(users.fabrikamOwner),
          payload: { total },
        });
      expect((await confirm(price)).json().error.code).toBe('price-changed');
      const confirmed = await confirm(newTotal);
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      expect(confirmed.json()).toMatchObject({ status: 'pending', total: newTotal, newPrice: null });
      const approved = await decide(approvalId, 'approve');
      expect(approved.statusCode, approved.body).toBe(200);
      expect(approved.json().total).toBe(newTotal);
    } finally {
      for (const p of original)
        await db()
          .updateTable('prices')
          .set({ unit_price: p.unit_price })
          .where('catalog_item_id', '=', catalogItemId)
          .where('price_list_id', '=', p.price_list_id)
          .where('term_duration', '=', p.term_duration)
          .where('billing_plan', '=', p.billing_plan)
          .execute();
    }
  });

  it('lists approvals by status, refuses an unknown status, and keeps another partner out', async () => {
    await put({ monthlyLimit: null, approvalThreshold: usd(1) });
    const { approvalId } = (await buy(world, users.fabrikamOwner, 'reservations', reservationBody())).json();
    const list = async (query: string, email: string = users.admin) =>
      world.app.inject({ method: 'GET', url: `/api/approvals${query}`, headers: await world.as(email) });
    expect((await list('?status=approved')).json().items).toHaveLength(0);
    expect((await list('')).json().items.map((a: { id: string }) => a.id)).toContain(approvalId);
    expect((await list('?status=nope')).json().error.code).toBe('invalid-status');
    expect((await list('', users.litwareAdmin)).json().items).toHaveLength(0);
    const other = await world.app.inject({
      method: 'GET',
      url: `/api/approvals/${approvalId}`,
      headers: await world.as(users.litwareAdmin),
    });
    expect(other.statusCode).toBe(404);
    const decline = await decide(approvalId, 'decline', users.litwareAdmin, { reason: 'x' });
    expect(decline.statusCode).toBe(404);
  });
});
