import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLock } from '../../src/cli/data-dir-lock.ts';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'mitra.mjs');

/** The environment of a `mitra` child on an embedded folder: never the suite's PostgreSQL. */
function envFor(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  return { ...env, MITRA_DATA_DIR: dataDir, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: '0', ...extra };
}

export interface MitraRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `mitra …args` as its own process, as a partner would from a shell, and waits for it. */
export function runMitra(dataDir: string, args: string[], extra?: Record<string, string>): Promise<MitraRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: envFor(dataDir, extra) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface MitraServer {
  url: string;
  pid: number;
  output(): string;
  /** SIGTERM, as Ctrl-C or a service manager would, then waits for the process to end. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash would: nothing runs after it; waits for the process to end. */
  kill(): Promise<void>;
}

/** `mitra serve` as a child process; ready once its lock file names its URL and it answers. */
export async function startMitraServer(
  dataDir: string,
  extra?: Record<string, string>,
): Promise<MitraServer> {
  const child: ChildProcess = spawn(process.execPath, [bin, 'serve'], { env: envFor(dataDir, extra) });
  let output = '';
  child.stdout?.on('data', (c) => {
    output += c;
  });
  child.stderr?.on('data', (c) => {
    output += c;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  // A server that never gets ready is stopped here, not left running after the suite.
  const giveUpAt = Date.now() + 50_000;
  for (;;) {
    if (ended) throw new Error(`mitra serve ended before it was ready:\n${output}`);
    if (Date.now() > giveUpAt) {
      child.kill('SIGKILL');
      throw new Error(`mitra serve did not get ready:\n${output}`);
    }
    const lock = readLock(dataDir);
    if (lock.state === 'held' && lock.holder.pid === child.pid && lock.holder.url) {
      const ready = await fetch(`${lock.holder.url}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready)
        return {
          url: lock.holder.url,
          pid: child.pid!,
          output: () => output,
          stop: async () => {
            if (!ended) child.kill('SIGTERM');
            return exited;
          },
          kill: async () => {
            if (!ended) child.kill('SIGKILL');
            await exited;
          },
        };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
