import Big from 'big.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId, loadDemoCommitments } from '../../src/demo/load.ts';
import {
  amortizedHourlyCost,
  applyBenefits,
  type BenefitInput,
  type BenefitOutput,
  type CommitmentInput,
} from '../../src/engine/index.ts';
import { loadRatioTable } from '../../src/engine/ratio-file.ts';
import { inlineApply } from '../../src/jobs/engine-pool.ts';
import { benefitInputFor } from '../../src/services/benefit-runs.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { allow, fabrikam, fabrikamAzure, reservationBody, savingsPlanBody } from '../support/commitments.ts';
import { databaseKinds, rowCounts } from '../support/db.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const tailspinAzure = demoId('tailspin-azure-subscription');
const ratios = loadRatioTable();

/** The expectation, computed apart from src/domain/what-if.ts: engine output → the customer's figures. */
function expected(input: BenefitInput, out: BenefitOutput, hourlyCosts: Map<string, number>) {
  let actual = 0;
  let eligible = 0;
  let covered = 0;
  out.rows.forEach((r, i) => {
    const u = input.usage[i];
    actual += r.actualCost; // the demo's usage markup is 0: the customer's usage price is retail
    if (u.benefitEligible !== false && (u.reservedResourceType || u.spUnitPrice)) {
      eligible += u.quantity;
      covered += u.quantity - r.paygQuantity;
    }
  });
  const commitments = out.perHour.reduce((s, h) => s + (hourlyCosts.get(h.id) ?? 0), 0);
  return { actual, amortized: actual + commitments, coveragePct: (covered / eligible) * 100 };
}

describe.each(databaseKinds)('what-if (B4) on %s', (kind) => {
  let world: TestWorld;
  let busiest: { sku: string; region: string };
  let period: { from: Date; to: Date };
  beforeAll(async () => {
    world = await demoWorld(kind, { usageDays: 8 });
    await loadDemoCommitments(world.handle.db, inlineApply(), { usageDays: 8 });
    const row = await world.handle.db
      .selectFrom('usage_records')
      .select(['sku', 'region', sql<string>`sum(quantity)`.as('hours')])
      .where('customer_id', '=', fabrikam)
      .where('reserved_resource_type', '=', 'VirtualMachines')
      .groupBy(['sku', 'region'])
      .orderBy('hours', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    busiest = { sku: row.sku, region: row.region };
    const latest = await world.handle.db
      .selectFrom('usage_records')
      .select(sql<Date>`max(hour)`.as('h'))
      .where('customer_id', '=', fabrikam)
      .executeTakeFirstOrThrow();
    const to = new Date(Math.floor(new Date(latest.h).getTime() / DAY) * DAY + DAY);
    period = { from: new Date(to.getTime() - 7 * DAY), to };
  }, 300_000);
  afterAll(() => world.close());

  const post = async (email: string, url: string, payload: unknown) =>
    world.app.inject({ method: 'POST', url, headers: await world.as(email), payload: payload as object });
  const partnerWhatIf = (payload: unknown, email: string = users.admin, customer = fabrikam) =>
    post(email, `/api/customers/${customer}/what-if`, payload);
  const myWhatIf = (payload: unknown, email: string = users.fabrikamOwner) =>
    post(email, '/api/my/what-if', payload);
  const reservation = (o: Record<string, unknown> = {}) => ({
    kind: 'reservation',
    ...reservationBody({ sku: busiest.sku, region: busiest.region, quantity: 2, ...o }),
  });
  const plan = (o: Record<string, unknown> = {}) => ({
    kind: 'savingsPlan',
    ...savingsPlanBody({ hourlyCommitment: '0.40', ...o }),
  });
  const setCostManagement = async (enabled: boolean) => {
    const res = await world.app.inject({
      method: 'PUT',
      url: `/api/customers/${fabrikam}/cost-management`,
      headers: await world.as(users.admin),
      payload: { enabled },
    });
    expect(res.statusCode, res.body).toBe(200);
  };

  /** The partner's quote for the same purchase: the candidate's total at the customer's price. */
  const quoteTotal = async (path: 'reservations' | 'savings-plans', body: Record<string, unknown>) => {
    const { kind: _, ...purchase } = body;
    const res = await post(users.admin, `/api/customers/${fabrikam}/${path}/quote`, purchase);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().total as string;
  };

  it('equals a direct engine run over the same history, with and without a reservation and a savings plan together', async () => {
    const r = reservation();
    const p = plan();
    const res = await partnerWhatIf({ lookbackDays: 7, candidates: [r, p] });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.period).toEqual({ from: period.from.toISOString(), to: period.to.toISOString() });
    expect(body).toMatchObject({ customerId: fabrikam, currency: 'USD', priceList: 'default' });
    expect(body.moneyHidden).toBeUndefined();

    const { input, hourlyCosts, azureId } = await benefitInputFor(world.handle.db, fabrikam, period);
    input.hours = Array.from({ length: 7 * 24 }, (_, i) =>
      new Date(period.from.getTime() + i * HOUR).toISOString(),
    );
    const today = new Date().toISOString();
    const rHourly = amortizedHourlyCost(Number(await quoteTotal('reservations', r)), today, 'P1Y');
    const pHourly = amortizedHourlyCost(Number(await quoteTotal('savings-plans', p)), today, 'P1Y');
    const candidates: CommitmentInput[] = [
      {
        id: 'R',
        type: 'reservation',
        reservedResourceType: 'VirtualMachines',
        sku: busiest.sku,
        region: busiest.region,
        quantity: 2,
        term: 'P1Y',
        purchaseDate: period.from.toISOString(),
        scope: { type: 'Shared' },
        amortizedHourlyCost: rHourly,
      },
      {
        id: 'P',
        type: 'savingsPlan',
        term: 'P1Y',
        hourlyCommitment: 0.4,
        purchaseDate: period.from.toISOString(),
        scope: { type: 'Shared' },
      },
    ];
    expect(azureId(demoId('fabrikam-subscription'))).toBe(fabrikamAzure);
    const before = applyBenefits(input, ratios);
    const after = applyBenefits(
      { ...input, commitments: [...(input.commitments ?? []), ...candidates] },
      ratios,
    );
    const costs = new Map([...hourlyCosts, ['R', rHourly], ['P', pHourly]]);
    const e0 = expected(input, before, costs);
    const e1 = expected(input, after, costs);
    // The existing commitments are in both runs and cover something.
    expect(before.commitments.length).toBe(2);
    expect(e0.coveragePct).toBeGreaterThan(0);

    const close = (got: string, want: number) => expect(Number(got)).toBeCloseTo(want, 4);
    close(body.today.actualCost, e0.actual);
    close(body.today.amortizedCost, e0.amortized);
    close(body.withCandidates.actualCost, e1.actual);
    close(body.withCandidates.amortizedCost, e1.amortized);
    close(body.savings.actualCost, e0.actual - e1.actual);
    close(body.savings.amortizedCost, e0.amortized - e1.amortized);
    expect(Number(body.savings.actualCost)).toBeGreaterThan(0);
    expect(body.today.coveragePct).toBeCloseTo(e0.coveragePct, 3);
    expect(body.withCandidates.coveragePct).toBeCloseTo(e1.coveragePct, 3);

    for (const [i, id] of ['R', 'P'].entries()) {
      const c = body.candidates[i];
      const engine = after.commitments.find((x) => x.id === id)!;
      const hours = after.perHour.filter((h) => h.id === id);
      expect(c.utilizationPct).toBeCloseTo(engine.utilizationPct!, 3);
      expect(c.activeHours).toBe(7 * 24);
      expect(c.unusedHours).toBeCloseTo(
        hours.reduce((s, h) => s + h.unused / h.capacity, 0),
        4,
      );
      expect(c.idleHours).toBe(hours.filter((h) => h.consumed === 0).length);
      close(c.windowCost, costs.get(id)! * 7 * 24);
    }
    expect(body.candidates.map((c: { kind: string }) => c.kind)).toEqual(['reservation', 'savingsPlan']);

    // The daily series adds up to the totals.
    expect(body.daily.map((d: { day: string }) => d.day)).toEqual(
      Array.from({ length: 7 }, (_, i) =>
        new Date(period.from.getTime() + i * DAY).toISOString().slice(0, 10),
      ),
    );
    const sum = (pick: (d: Record<string, Record<string, string>>) => string) =>
      body.daily.reduce((s: Big, d: Record<string, Record<string, string>>) => s.plus(pick(d)), new Big(0));
    expect(sum((d) => d.today.actualCost).toFixed(6)).toBe(body.today.actualCost);
    expect(sum((d) => d.withCandidates.amortizedCost).toFixed(6)).toBe(body.withCandidates.amortizedCost);
    const day0 = after.perHour.filter((h) => h.id === 'R' && h.hour.startsWith(body.daily[0].day));
    expect(body.daily[0].candidates[0].utilizationPct).toBeCloseTo(
      (day0.reduce((s, h) => s + h.consumed, 0) / day0.reduce((s, h) => s + h.capacity, 0)) * 100,
      3,
    );
  });

  it('is a query: nothing is bought, quoted, stored or recorded', async () => {
    const tables = [
      'commitments',
      'orders',
      'price_quotes',
      'purchase_approvals',
      'audit_records',
      'benefit_runs',
    ] as const;
    const counts = () => rowCounts(world.handle.db, tables);
    const before = await counts();
    const body = { lookbackDays: 7, candidates: [reservation(), plan()] };
    expect((await partnerWhatIf(body)).statusCode).toBe(200);
    expect((await myWhatIf(body)).statusCode).toBe(200);
    expect(await counts()).toEqual(before);
  });

  it('a candidate that covers nothing saves nothing and runs unused every hour', async () => {
    const used = await world.handle.db
      .selectFrom('usage_records')
      .select('region')
      .distinct()
      .where('customer_id', '=', fabrikam)
      .execute();
    const regions = new Set(used.map((r) => r.region.toLowerCase()));
    const catalog = await world.app.inject({
      method: 'GET',
      url: '/api/my/reservation-catalog',
      headers: await world.as(users.fabrikamOwner),
    });
    const item = (catalog.json().items as { sku: string; region: string }[]).find(
      (i) => !regions.has(i.region.toLowerCase()),
    );
    expect(item, 'a reservation on sale in a region Fabrikam does not use').toBeDefined();
    const idle = await partnerWhatIf({
      lookbackDays: 7,
      candidates: [reservation({ sku: item!.sku, region: item!.region, quantity: 1 })],
    });
    expect(idle.statusCode, idle.body).toBe(200);
    const body = idle.json();
    expect(body.savings.actualCost).toBe('0.000000');
    expect(Number(body.savings.amortizedCost)).toBeCloseTo(-Number(body.candidates[0].windowCost), 5);
    expect(body.candidates[0]).toMatchObject({
      utilizationPct: 0,
      unusedHours: 7 * 24,
      idleHours: 7 * 24,
      coveredQuantity: 0,
      coveredPaygCost: '0.000000',
      breakEvenMonth: null,
    });
    expect(body.withCandidates.coveragePct).toBe(body.today.coveragePct);
  });

  it("customer users: their own customer's subscriptions only, another customer's refused as if it did not exist", async () => {
    await setCostManagement(true);
    const mine = await myWhatIf({ lookbackDays: 7, candidates: [plan()] });
    expect(mine.statusCode, mine.body).toBe(200);
    const partner = await partnerWhatIf({ lookbackDays: 7, candidates: [plan()] });
    // Same customer, same figures: the customer user's what-if replays the customer's usage.
    expect(mine.json().savings).toEqual(partner.json().savings);
    // A Reader explores too: a what-if is not a purchase (no Owner role, no permission needed).
    const reader = await myWhatIf({ lookbackDays: 7, candidates: [plan()] }, users.fabrikamReader);
    expect(reader.statusCode, reader.body).toBe(200);

    const ghost = await myWhatIf({
      lookbackDays: 7,
      candidates: [plan({ billingSubscriptionId: '11111111-2222-4333-8444-555555555555' })],
    });
    const other = await myWhatIf({
      lookbackDays: 7,
      candidates: [plan({ billingSubscriptionId: tailspinAzure })],
    });
    expect(other.statusCode, other.body).toBe(ghost.statusCode);
    expect(other.json().error.code).toBe('billing-subscription-not-eligible');
    expect(other.json().error.message).toBe(
      ghost.json().error.message.replace('11111111-2222-4333-8444-555555555555', tailspinAzure),
    );
    const otherScope = await myWhatIf({
      lookbackDays: 7,
      candidates: [plan({ appliedScopeType: 'Single', appliedScope: { subscriptionId: tailspinAzure } })],
    });
    expect(otherScope.statusCode).toBe(400);
    expect(otherScope.json().error.code).toBe('applied-scope-not-in-billing-context');
    // A partner user of another partner does not find the customer.
    const litware = await partnerWhatIf({ lookbackDays: 7, candidates: [plan()] }, users.litwareAdmin);
    expect(litware.statusCode).toBe(404);
    // Each side of the API is for its own kind of user.
    expect((await myWhatIf({ lookbackDays: 7, candidates: [plan()] }, users.admin)).statusCode).toBe(403);
    expect(
      (await partnerWhatIf({ lookbackDays: 7, candidates: [plan()] }, users.fabrikamOwner)).statusCode,
    ).toBe(403);
  });

  it("without cost management a customer's users see no money figures, and why", async () => {
    await setCostManagement(false);
    const res = await myWhatIf({ lookbackDays: 7, candidates: [reservation(), plan()] });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.moneyHidden).toMatch(/not enabled cost management/);
    expect(body.savings).toBeUndefined();
    const text = JSON.stringify(body);
    for (const field of [
      'actualCost',
      'amortizedCost',
      'hourlyCost',
      'totalCost',
      'windowCost',
      'coveredPaygCost',
      'breakEvenMonth',
    ])
      expect(text).not.toContain(`"${field}"`);
    expect(body.candidates[0].utilizationPct).toBeTypeOf('number');
    expect(body.withCandidates.coveragePct).toBeGreaterThan(body.today.coveragePct);
    // The partner sees money whatever the switch says.
    const partner = await partnerWhatIf(
      { lookbackDays: 7, candidates: [reservation(), plan()] },
      users.helpdesk,
    );
    expect(partner.json().savings).toBeDefined();
    expect(partner.json().candidates[0].utilizationPct).toBe(body.candidates[0].utilizationPct);
  });

  it("refuses an invalid or zero candidate with the purchase route's own 400", async () => {
    // Allowed to buy, so the purchase routes reach the checks of what is bought.
    await allow(world, 'AzureReservedInstances');
    await allow(world, 'AzureSavingsPlan');
    const cases: [string, Record<string, unknown>][] = [
      ['reservations', reservation({ sku: undefined })],
      ['reservations', reservation({ term: 'P5Y' })],
      ['reservations', reservation({ billingPlan: 'weekly' })],
      ['reservations', reservation({ sku: 'Standard_Nope_v9' })],
      ['reservations', reservation({ appliedScopeType: 'Everywhere' })],
      ['reservations', reservation({ appliedScopeType: 'Single' })],
      ['savings-plans', plan({ hourlyCommitment: '0' })],
      ['savings-plans', plan({ hourlyCommitment: undefined })],
      ['savings-plans', plan({ hourlyCommitment: '1.234' })],
    ];
    for (const [path, candidate] of cases) {
      const { kind: _, ...purchase } = candidate;
      const bought = await world.app.inject({
        method: 'POST',
        url: `/api/my/${path}`,
        headers: { ...(await world.as(users.fabrikamOwner)), 'idempotency-key': crypto.randomUUID() },
        payload: purchase,
      });
      const asked = await myWhatIf({ lookbackDays: 7, candidates: [candidate] });
      expect(bought.statusCode, `${path} ${JSON.stringify(candidate)}: ${bought.body}`).toBe(400);
      expect(asked.statusCode, asked.body).toBe(400);
      expect(asked.json().error, JSON.stringify(candidate)).toEqual(bought.json().error);
    }
    // Refused by the schema in both: the same code, the sentence naming where in each body.
    const zero = await myWhatIf({ lookbackDays: 7, candidates: [reservation({ quantity: 0 })] });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().error.code).toBe('invalid-request');
    expect(zero.json().error.message).toContain('/candidates/0/quantity');
  });

  it('lookbackDays is 7, 30 or 60, and 1 to 10 candidates', async () => {
    for (const lookbackDays of [0, 14, 90, '30x', null]) {
      const res = await partnerWhatIf({ lookbackDays, candidates: [plan()] });
      expect(res.statusCode, `${lookbackDays}: ${res.body}`).toBe(400);
      expect(res.json().error.code).toBe('invalid-request');
    }
    expect((await partnerWhatIf({ lookbackDays: 7, candidates: [] })).statusCode).toBe(400);
    expect(
      (await partnerWhatIf({ lookbackDays: 7, candidates: Array.from({ length: 11 }, () => plan()) }))
        .statusCode,
    ).toBe(400);
    expect(
      (await partnerWhatIf({ lookbackDays: 7, candidates: [{ ...plan(), kind: 'licence' }] })).statusCode,
    ).toBe(400);
    // 30 and 60 days reach back before the 8 days of usage: those days are there, with nothing used.
    const long = await partnerWhatIf({ lookbackDays: 60, candidates: [plan()] });
    expect(long.statusCode, long.body).toBe(200);
    expect(long.json().daily).toHaveLength(60);
    expect(long.json().candidates[0].activeHours).toBe(60 * 24);
  });
  it("a customer user's replay covers only the subscriptions it holds a role on", async () => {
    await setCostManagement(true);
    const db = world.handle.db;
    const body = { lookbackDays: 7, candidates: [plan()] };
    const partnerBefore = (await partnerWhatIf(body)).json();
    const mineBefore = (await myWhatIf(body)).json();
    expect(mineBefore.today).toEqual(partnerBefore.today);
    // A second Azure subscription with a copy of the first one's usage, on which no user holds a role.
    const hidden = '0d5e6f70-8192-4a3b-8c4d-5e6f70819203';
    const source = await db
      .selectFrom('subscriptions')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', fabrikamAzure), eb('entitlement_id', '=', fabrikamAzure)]))
      .executeTakeFirstOrThrow();
    await db
      .insertInto('subscriptions')
      .values({
        ...source,
        id: hidden,
        entitlement_id: hidden,
        friendly_name: 'Hidden',
        created_at: undefined,
      })
      .execute();
    await sql`insert into usage_records (customer_id, subscription_id, hour, resource_group, region,
        meter_category, reserved_resource_type, sku, quantity, payg_unit_price, benefit_eligible,
        sp_unit_price_p1y, sp_unit_price_p3y, resource_id)
      select customer_id, ${hidden}, hour, resource_group, region, meter_category, reserved_resource_type, sku,
        quantity, payg_unit_price, benefit_eligible, sp_unit_price_p1y, sp_unit_price_p3y, resource_id
      from usage_records where subscription_id = ${source.id}`.execute(db);
    try {
      const partner = (await partnerWhatIf(body)).json();
      const mine = (await myWhatIf(body)).json();
      // The partner sees both subscriptions' usage; the customer's Owner only the one it holds a role on.
      expect(partner.today.eligibleQuantity).toBeCloseTo(2 * partnerBefore.today.eligibleQuantity, 6);
      expect(mine.today.eligibleQuantity).toBeCloseTo(mineBefore.today.eligibleQuantity, 6);
      expect(mine.today.actualCost).toBe(mineBefore.today.actualCost);
    } finally {
      await db.deleteFrom('usage_records').where('subscription_id', '=', hidden).execute();
      await db.deleteFrom('subscriptions').where('id', '=', hidden).execute();
    }
  });
});
