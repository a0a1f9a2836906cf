import { it } from 'vitest';
import { demoWorld, users } from '../support/app.ts';
it('explore', async () => {
  let t = Date.now();
  const world = await demoWorld('pglite');
  console.log('world', Date.now() - t); t = Date.now();
  const h = await world.as(users.admin);
  console.log('token', Date.now() - t);
  for (const r of world.app.routePolicies) console.log(r.method, r.url, r.policy);
  const res = await world.app.inject({ method: 'GET', url: '/v1/customers', headers: h });
  console.log(JSON.stringify(res.json(), null, 1).slice(0, 3000));
  await world.close();
});
