import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../../src/demo/load.ts';
import { drainBenefitRuns } from '../../src/jobs/benefit-jobs.ts';
import { inlineApply } from '../../src/jobs/engine-pool.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { fabrikam, fabrikamAzure } from '../support/commitments.ts';

const header = 'customerId,subscriptionId,hour,resourceGroup,region,sku,quantity,paygUnitPrice';
const row = (hour: string, subscription = fabrikamAzure) =>
  `${fabrikam},${subscription},${hour},rg,eastus,Standard_D2s_v3,1,0.1`;

/** What the `mitra` command does through the server, driven in process (the CLI's own test spawns it). */
describe('the mitra command through the server', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await demoWorld('pglite');
  });
  afterAll(() => world.close());

  const usageRows = async () =>
    Number(
      (
        await world.handle.db
          .selectFrom('usage_records')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const importCsv = (csv: string, contentType = 'text/csv') =>
    world.app.inject({
      method: 'POST',
      url: '/api/cli/usage/import?file=usage.csv',
      headers: { ...world.asOperator('usage import'), 'content-type': contentType },
      payload: csv,
    });

  it('imports usage all or nothing: a bad row names its line, imports nothing, records nothing', async () => {
    const before = await usageRows();
    const audits = await world.handle.db.selectFrom('audit_records').select('id').execute();
    const res = await importCsv(
      [
        header,
        row('2026-11-01T10:00:00Z'),
        row('2026-11-01T11:00:00Z', demoId('adatum-azure-subscription')),
      ].join('\n'),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'invalid-usage-row',
      message: expect.stringMatching(/^Line 3, column subscriptionId/),
    });
    expect(await usageRows()).toBe(before);
    expect(await world.handle.db.selectFrom('audit_records').select('id').execute()).toHaveLength(
      audits.length,
    );
  });

  it('refuses a body that is not CSV with a 400, not a 500', async () => {
    const res = await importCsv('{"rows": []}', 'application/json');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('unsupported-media-type');
  });

  it('imports a good file, queues the re-runs and records it for the partner, as the system', async () => {
    const before = await usageRows();
    const res = await importCsv(
      `${header}\n${row('2026-11-02T10:00:00Z')}\n${row('2026-11-02T11:00:00Z')}\n`,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      rows: 2,
      customers: 1,
      benefitRunsQueued: 1,
      format: 'csv',
      skipped: { purchases: 0, unused: 0, other: 0 },
    });
    expect(await usageRows()).toBe(before + 2);
    const record = await world.handle.db
      .selectFrom('audit_records')
      .selectAll()
      .where('operation_type', '=', 'import_usage')
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({
      partner_id: demoId('contoso'),
      actor_kind: 'system',
      resource_type: 'usage',
    });
    expect(record.customized_data).toEqual(
      expect.arrayContaining([
        { key: 'command', value: 'mitra usage import' },
        { key: 'via', value: 'server' },
        { key: 'file', value: 'usage.csv' },
      ]),
    );
    // Partner center has no words for it: its dialect leaves the record out.
    const pc = await world.app.inject({
      method: 'GET',
      url: '/v1/auditrecords',
      headers: await world.as(users.admin),
    });
    expect(pc.json().items.map((i: { operationType: string }) => i.operationType)).not.toContain(
      'import_usage',
    );
  });

  it('queues benefit runs (202 with a status address), then reports them done with their usage rows', async () => {
    const queued = await world.app.inject({
      method: 'POST',
      url: '/api/cli/benefit-runs',
      headers: world.asOperator('benefits run'),
      payload: { from: '2026-11-02', to: '2026-11-03', customerIds: [fabrikam] },
    });
    expect(queued.statusCode, queued.body).toBe(202);
    const batch = queued.json();
    expect(batch).toMatchObject({ customers: 1 });
    const progress = () =>
      world.app.inject({
        method: 'GET',
        url: queued.headers.location as string,
        headers: world.asOperator(),
      });
    expect((await progress()).json()).toMatchObject({ total: 1, queued: 1, usageRows: null });
    // Here nothing drains in the background; the embedded server's benefit worker would.
    await drainBenefitRuns(world.handle.db, inlineApply(), { concurrency: 1 });
    expect((await progress()).json()).toMatchObject({ total: 1, done: 1, failed: 0, usageRows: 2 });
  });

  it('refuses a bad period or customer with a 4xx that says what to fix', async () => {
    const send = (payload: object) =>
      world.app.inject({
        method: 'POST',
        url: '/api/cli/benefit-runs',
        headers: world.asOperator('benefits run'),
        payload,
      });
    expect((await send({ from: '2026-11-03', to: '2026-11-02' })).json().error.code).toBe('invalid-period');
    expect((await send({ from: '2026-11-01', to: '2026-11-02', customerIds: ['x'] })).statusCode).toBe(400);
    const unknown = await send({
      from: '2026-11-01',
      to: '2026-11-02',
      customerIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('customer-not-found');
    expect((await send({ from: 'November', to: '2026-11-02' })).statusCode).toBe(400);
  });

  it('lists the Azure subscriptions usage is generated for', async () => {
    const res = await world.app.inject({
      method: 'GET',
      url: '/api/cli/usage/subscriptions',
      headers: world.asOperator('usage generate'),
    });
    expect(res.statusCode).toBe(200);
    const items: { id: string; customerId: string; entitlementId: string | null }[] = res.json().items;
    expect(
      items.some((i) => i.customerId === fabrikam && [i.id, i.entitlementId].includes(fabrikamAzure)),
    ).toBe(true);
  });
});
