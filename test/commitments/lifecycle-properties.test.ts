import Big from 'big.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitmentRequestOf } from '../../src/api/commitment-requests.ts';
import { billLineType } from '../../src/domain/billing.ts';
import { roundToMinor } from '../../src/domain/money.ts';
import { billingMonths, monthlyBill } from '../../src/services/bills.ts';
import type { Call } from '../../src/services/call.ts';
import {
  calculateExchange,
  calculateRefund,
  changeScope,
  exchangeCommitment,
  refundCommitment,
  setRenewal,
} from '../../src/services/commitment-lifecycle.ts';
import { purchaseWithIdempotencyKey } from '../../src/services/commitment-purchase.ts';
import { customerOf } from '../../src/services/commitments.ts';
import { authenticateUser } from '../../src/services/identity.ts';
import { demoPassword, demoWorld, type TestWorld, users } from '../support/app.ts';
import { allow, fabrikam, fabrikamAzure, reservationBody } from '../support/commitments.ts';
import { databaseKinds } from '../support/db.ts';

/**
 * Random lifecycles of reservations — bought upfront or monthly by the customer or the partner,
 * months passing, scope and renewal changes, refunds and exchanges — driven through the services
 * with a clock the test controls. After each, the money must hold: every bill adds up to its
 * rounded lines, every line is dated inside its month, and each dialog's figures (refund quote,
 * exchange quote) are exactly the lines the action then wrote.
 */
describe.each(databaseKinds)('reservation lifecycles on %s', (kind) => {
  let world: TestWorld;
  let adminCall: (now: Date) => Call;
  let ownerCall: (now: Date) => Call;
  beforeAll(async () => {
    world = await demoWorld(kind);
    await allow(world, 'AzureReservedInstances');
    const admin = await authenticateUser(world.handle.db, users.admin, demoPassword);
    const owner = await authenticateUser(world.handle.db, users.fabrikamOwner, demoPassword);
    adminCall = (now) => ({ actor: admin, correlationId: crypto.randomUUID(), now });
    ownerCall = (now) => ({ actor: owner, correlationId: crypto.randomUUID(), now });
  });
  afterAll(() => world.close());

  const size = fc.constantFrom('Standard_D2s_v3', 'Standard_D4s_v3', 'Standard_E8s_v3', 'Standard_B2ms');
  const purchase = fc.record({
    byPartner: fc.boolean(),
    sku: size,
    quantity: fc.integer({ min: 1, max: 3 }),
    term: fc.constantFrom('P1Y', 'P3Y'),
    billingPlan: fc.constantFrom('Upfront', 'Monthly'),
    startDay: fc.integer({ min: 0, max: 700 }),
  });
  const step = fc.oneof(
    fc.record({ type: fc.constant('wait' as const), days: fc.integer({ min: 1, max: 120 }) }),
    fc.record({ type: fc.constant('scope' as const), single: fc.boolean() }),
    fc.record({ type: fc.constant('renew' as const), on: fc.boolean() }),
    fc.record({ type: fc.constant('refund' as const) }),
    fc.record({
      type: fc.constant('exchange' as const),
      sku: size,
      quantity: fc.integer({ min: 1, max: 6 }),
      term: fc.constantFrom('P1Y', 'P3Y'),
      billingPlan: fc.constantFrom('Upfront', 'Monthly'),
    }),
  );

  /** Ledger rows written after `afterId` for these commitments, as bill lines. */
  async function linesSince(afterId: number, commitmentIds: string[]) {
    const rows = await world.handle.db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('id', '>', afterId)
      .where('commitment_id', 'in', commitmentIds)
      .execute();
    return rows.map((r) => ({
      month: r.billing_month.slice(0, 7),
      date: r.entry_date,
      type: billLineType(r.entry_type),
      amount: roundToMinor(r.amount, r.currency),
    }));
  }
  const lastId = async () =>
    Number(
      (
        await world.handle.db
          .selectFrom('ledger_entries')
          .select((eb) => eb.fn.max('id').as('id'))
          .executeTakeFirstOrThrow()
      ).id ?? 0,
    );
  const sorted = <T extends { date: string; type: string; amount: string }>(xs: T[]) =>
    [...xs].sort((a, b) => `${a.date}${a.type}${a.amount}`.localeCompare(`${b.date}${b.type}${b.amount}`));

  it('bills add up, lines stay in their month, and every dialog promises exactly what it writes', async () => {
    const db = world.handle.db;
    const customer = await customerOf(db, (await adminCall(new Date())).actor, fabrikam);
    const touched = new Set<string>();
    const done = { refunds: 0, exchanges: 0, refusedExchanges: 0 };
    await fc.assert(
      fc.asyncProperty(purchase, fc.array(step, { maxLength: 6 }), async (p, steps) => {
        let now = new Date(Date.UTC(2026, 0, 1, 9) + p.startDay * 86_400_000);
        const body = reservationBody({
          sku: p.sku,
          quantity: p.quantity,
          term: p.term,
          billingPlan: p.billingPlan,
        });
        let c = await purchaseWithIdempotencyKey(
          db,
          p.byPartner ? adminCall(now) : ownerCall(now),
          customer,
          commitmentRequestOf('reservation', body),
          crypto.randomUUID(),
        );
        const boughtBy = c.bought_by;
        touched.add(c.id);
        for (const s of steps) {
          if (c.status !== 'Succeeded') break;
          if (s.type === 'wait') {
            now = new Date(now.getTime() + s.days * 86_400_000);
          } else if (s.type === 'scope') {
            c = await changeScope(
              db,
              adminCall(now),
              customer,
              c,
              s.single ? 'Single' : 'Shared',
              s.single ? { subscriptionId: fabrikamAzure } : {},
            );
          } else if (s.type === 'renew') {
            c = await setRenewal(db, adminCall(now), customer, c, s.on);
          } else if (s.type === 'refund') {
            let quote: Awaited<ReturnType<typeof calculateRefund>>;
            try {
              quote = await calculateRefund(db, adminCall(now), c);
            } catch (error) {
              expect((error as { code: string }).code).toBe('refund-limit-exceeded');
              continue;
            }
            const before = await lastId();
            const { refund, commitment } = await refundCommitment(db, adminCall(now), customer, c);
            expect(refund).toEqual(quote);
            const written = await linesSince(before, [c.id]);
            expect(sorted(written)).toEqual(sorted(quote.entries));
            expect(new Big(quote.amount).lte(quote.paidSoFar)).toBe(true);
            c = commitment;
            done.refunds++;
          } else {
            const replacement = commitmentRequestOf(
              'reservation',
              reservationBody({
                sku: s.sku,
                quantity: s.quantity,
                term: s.term,
                billingPlan: s.billingPlan,
              }),
            );
            const quote = await calculateExchange(db, adminCall(now), customer, c, replacement);
            const before = await lastId();
            let result: Awaited<ReturnType<typeof exchangeCommitment>>;
            try {
              result = await exchangeCommitment(db, adminCall(now), customer, c, replacement);
            } catch (error) {
              expect((error as { code: string }).code).toBe('exchange-value-too-low');
              expect(quote.valid).toBe(false);
              done.refusedExchanges++;
              continue;
            }
            expect(quote.valid).toBe(true);
            const returned = await linesSince(before, [c.id]);
            const created = await linesSince(before, [result.created.id]);
            expect(sorted([...returned, ...created])).toEqual(sorted(quote.entries));
            const sum = (xs: { amount: string }[]) => xs.reduce((t, x) => t.plus(x.amount), new Big(0));
            expect(sum(returned).neg().toFixed(2)).toBe(quote.credit);
            expect(sum(created).toFixed(2)).toBe(quote.newTotal);
            expect(sum([...returned, ...created]).toFixed(2)).toBe(quote.netPayable);
            expect({
              credit: result.credit,
              newTotal: result.newTotal,
              netPayable: result.netPayable,
            }).toEqual({ credit: quote.credit, newTotal: quote.newTotal, netPayable: quote.netPayable });
            // Who bought it survives the exchange.
            expect(result.created.bought_by).toBe(boughtBy);
            c = result.created;
            touched.add(c.id);
            done.exchanges++;
          }
        }
      }),
      { numRuns: kind === 'pglite' ? 40 : 15 },
    );
    // The runs did reach the actions whose figures are checked.
    expect(done.refunds).toBeGreaterThan(0);
    expect(done.exchanges).toBeGreaterThan(0);

    // Every month's bill, seen today and from the far future: the sum of its rounded lines, each
    // line the rounded ledger entry, dated inside the month.
    for (const today of [new Date('2026-12-01T12:00:00Z'), new Date('2031-01-01T00:00:00Z')]) {
      const call = adminCall(today);
      const months = await billingMonths(db, call, fabrikam);
      expect(months.items.every((m) => !m.forecast)).toBe(true);
      for (const m of [...months.items, ...months.forecasts]) {
        const bill = await monthlyBill(db, call, fabrikam, m.month);
        const raw = await db
          .selectFrom('ledger_entries')
          .select(['id', 'amount', 'currency', 'entry_date'])
          .where('customer_id', '=', fabrikam)
          .where('billing_month', '=', `${m.month}-01`)
          .execute();
        expect(bill.lines).toHaveLength(raw.length);
        const byId = new Map(raw.map((r) => [r.id, r]));
        for (const line of bill.lines) {
          const r = byId.get(line.id)!;
          expect(line.amount).toBe(roundToMinor(r.amount, r.currency));
          expect(line.date.slice(0, 7)).toBe(m.month);
          expect(line.forecast).toBe(line.date > today.toISOString().slice(0, 10));
        }
        const total = bill.lines.reduce((t, l) => t.plus(l.amount), new Big(0)).toFixed(2);
        expect(bill.total).toBe(total);
        expect(m.total).toBe(total);
        expect(bill.forecast).toBe(m.forecast);
      }
    }
  });
});
