import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { userInfo } from 'node:os';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FormatRegistry, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ServerStatus } from '../api/cli/schemas.ts';
import { operatorScheme } from '../api/operator-auth.ts';
import { type ErrorKind, httpStatusOf, MitraError } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';
import { Progress } from '../engine/progress.ts';

/** Where the running server is and the credential it accepts: read from its lock file. */
export interface ServerAddress {
  pid: number;
  url: string;
  token: string;
}

// The routes' schemas use these formats; the server's validator knows them, TypeBox's needs telling.
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', isUuid);
if (!FormatRegistry.Has('date')) FormatRegistry.Set('date', (v) => /^\d{4}-\d{2}-\d{2}$/.test(v));

const kindOf = (status: number): ErrorKind =>
  (Object.entries(httpStatusOf).find(([, s]) => s === status)?.[0] as ErrorKind | undefined) ?? 'invalid';

/** The OS account running this command, for the activity record ('' when the OS will not say). */
export function currentOsUser(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

/**
 * The `mitra` command's typed client of the server's `/api/cli/…` routes. Answers are checked
 * against the routes' own TypeBox schemas (src/api/cli/schemas.ts); errors come back as the
 * server's `MitraError`, so a command prints the same sentence whichever way it ran. Plain
 * node:http, without fetch's five-minute timeouts, so long imports and uploads of any size work.
 */
export class ServerClient {
  /** Filled by `checkAlive`: what the server said about itself. */
  status: ServerStatus | undefined;

  constructor(
    readonly server: ServerAddress,
    /** The command's verb (`usage import`), for the server's activity record. */
    readonly command: string,
  ) {}

  get pid() {
    return this.server.pid;
  }

  /** The server answers, with its own pid: it is the one the lock file names. */
  async checkAlive(): Promise<ServerStatus> {
    const status = await this.get('/api/cli/status', ServerStatus, { timeoutMs: 5000 });
    if (status.pid !== this.server.pid)
      throw new Error(`a process with pid ${status.pid} answers at ${this.server.url}`);
    this.status = status;
    return status;
  }

  get<S extends TSchema>(path: string, answer: S, options: { timeoutMs?: number } = {}): Promise<Static<S>> {
    return this.send('GET', path, answer, undefined, options.timeoutMs);
  }

  post<S extends TSchema>(path: string, body: unknown, answer: S): Promise<Static<S>> {
    return this.send('POST', path, answer, { contentType: 'application/json', body: JSON.stringify(body) });
  }

  /** Streams a file as the request body (never read whole), with a progress bar on a terminal. */
  upload<S extends TSchema>(
    path: string,
    file: string,
    answer: S,
    contentType = 'text/csv',
  ): Promise<Static<S>> {
    const size = statSync(file).size;
    const progress = new Progress({ stream: process.stderr, label: 'upload', total: size, unit: ' bytes' });
    const body = createReadStream(file);
    body.on('data', (chunk) => progress.add(chunk.length));
    body.on('end', () => progress.finish());
    return this.send('POST', path, answer, { contentType, body, length: size });
  }

  /**
   * Streams a GET answer into a file (never held whole), counting bytes as they arrive; an error
   * answer is read as JSON and thrown as the server's `MitraError`, and no file is left behind.
   */
  download(path: string, file: string, onBytes?: (n: number) => void): Promise<{ bytes: number }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(new URL(path, this.server.url), {
        method: 'GET',
        headers: {
          authorization: `${operatorScheme} ${this.server.token}`,
          'mitra-command': this.command,
          'mitra-os-user': currentOsUser(),
        },
      });
      req.on('error', reject);
      req.on('response', (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        if (status >= 400) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            let error: { code?: string; message?: string } | undefined;
            try {
              error = JSON.parse(Buffer.concat(chunks).toString('utf8'))?.error;
            } catch {
              error = undefined;
            }
            reject(
              error?.code === 'route-not-found'
                ? new MitraError(
                    'not-found',
                    'server-too-old',
                    `The server (pid ${this.pid}) runs older code that has no \`mitra ${this.command}\`; restart it and run this again.`,
                  )
                : new MitraError(
                    kindOf(status),
                    error?.code ?? 'server-error',
                    error?.message ?? `The server answered ${status}; see its log.`,
                  ),
            );
          });
          return;
        }
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          onBytes?.(c.length);
        });
        pipeline(res, createWriteStream(file)).then(() => resolve({ bytes }), reject);
      });
      req.end();
    });
  }

  private async send<S extends TSchema>(
    method: string,
    path: string,
    answer: S,
    payload?: { contentType: string; body: string | Readable; length?: number },
    timeoutMs?: number,
  ): Promise<Static<S>> {
    const res = await exchange(new URL(path, this.server.url), {
      method,
      headers: {
        authorization: `${operatorScheme} ${this.server.token}`,
        'mitra-command': this.command,
        'mitra-os-user': currentOsUser(),
        ...(payload ? { 'content-type': payload.contentType } : {}),
        ...(payload?.length !== undefined ? { 'content-length': String(payload.length) } : {}),
      },
      body: payload?.body,
      timeoutMs,
    });
    let parsed: unknown;
    try {
      parsed = res.body === '' ? undefined : JSON.parse(res.body);
    } catch {
      parsed = undefined;
    }
    if (res.status >= 400) {
      const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
      if (error?.code === 'route-not-found')
        throw new MitraError(
          'not-found',
          'server-too-old',
          `The server (pid ${this.pid}) runs older code that has no \`mitra ${this.command}\`; restart it and run this again.`,
        );
      throw new MitraError(
        kindOf(res.status),
        error?.code ?? 'server-error',
        error?.message ?? `The server answered ${res.status}; see its log.`,
      );
    }
    if (!Value.Check(answer, parsed))
      throw new MitraError(
        'invalid',
        'server-answer-unexpected',
        `The server (pid ${this.pid}) answered ${method} ${path} in a shape this command does not know; restart it so both run the same code.`,
      );
    return parsed as Static<S>;
  }
}

/**
 * One HTTP exchange. A server may answer before the whole body is sent (a bad row on line 3 of a
 * large file): then the upload stops at once and the answer is what counts.
 */
function exchange(
  url: URL,
  options: { method: string; headers: Record<string, string>; body?: string | Readable; timeoutMs?: number },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(url, { method: options.method, headers: options.headers });
    if (options.timeoutMs)
      req.setTimeout(options.timeoutMs, () => req.destroy(new Error('no answer in time')));
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.on('response', (res: IncomingMessage) => {
      answered = true;
      if (typeof options.body === 'object') {
        options.body.unpipe(req);
        options.body.destroy();
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        // An upload cut short by an early answer leaves the request open; close it with the answer.
        if (typeof options.body === 'object') req.destroy();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    if (options.body === undefined) req.end();
    else if (typeof options.body === 'string') req.end(options.body);
    else {
      options.body.on('error', (error) => {
        reject(error);
        req.destroy();
      });
      options.body.pipe(req);
    }
  });
}
