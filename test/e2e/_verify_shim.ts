import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestServer as real } from '../support/server.ts';
export async function startTestServer(options?: { demo?: boolean }) {
  const inner = await real(options);
  const target = new URL(inner.url);
  const index = readFileSync('web/dist/index.html');
  const proxy = http.createServer((req, res) => {
    const path = req.url ?? '/';
    if (req.method === 'GET' && !/^\/(api|v1|oauth2|assets)(\/|$)/.test(path)) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(index);
      return;
    }
    const up = http.request({ host: target.hostname, port: target.port, path, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 500, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: async () => { proxy.close(); await inner.close(); } };
}
