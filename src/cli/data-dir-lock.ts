import { randomUUID } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { MitraError } from '../domain/errors.ts';

/**
 * The embedded database (PGlite) is one process's: a second process opening the same folder
 * silently forks the database and corrupts it. So whoever opens the folder (the server or a
 * command) first writes `mitra.lock` in it; everyone else reads it and either talks to the
 * server it names or says what to do. The file is JSON, mode 0600, and holds the server's local
 * operator credential (docs/cli.md).
 */
export const lockFileName = 'mitra.lock';

export interface LockHolder {
  format: 1;
  /** A server answers the `mitra` command over HTTP; a command only holds the folder for a while. */
  holder: 'server' | 'command';
  /** What runs: `serve`, `usage import`, … */
  command: string;
  pid: number;
  hostname: string;
  startedAt: string;
  /** Tells this holder from a later one that got the same pid. */
  instance: string;
  /** The server's loopback address, once it listens. */
  url?: string;
  /** The server's operator credential for `/api/cli/…` (only ever in this 0600 file). */
  token?: string;
}

export type LockState =
  | { state: 'free' }
  | { state: 'stale'; holder: LockHolder }
  | { state: 'held'; holder: LockHolder }
  | { state: 'unreadable'; reason: string };

export const lockPathOf = (dataDir: string) => join(dataDir, lockFileName);

/** Alive means: the pid runs here (or it is another machine's, which we cannot tell). */
export function isAlive(holder: LockHolder): boolean {
  if (holder.hostname !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(dataDir: string): LockState {
  let text: string;
  try {
    text = readFileSync(lockPathOf(dataDir), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { state: 'free' };
    return { state: 'unreadable', reason: code ?? String(error) };
  }
  let holder: LockHolder;
  try {
    holder = JSON.parse(text);
  } catch {
    return { state: 'unreadable', reason: 'not JSON' };
  }
  if (typeof holder?.pid !== 'number' || typeof holder.hostname !== 'string')
    return { state: 'unreadable', reason: 'no pid' };
  return isAlive(holder) ? { state: 'held', holder } : { state: 'stale', holder };
}

/** What a second `mitra serve` on the folder says. */
export const alreadyRuns = (dataDir: string, pid: number, url: string) =>
  `A Mitra server (pid ${pid}, ${url}) already runs on ${dataDir}; stop it first, or set MITRA_DATA_DIR to another folder.`;

/** One line saying who holds the folder and what to do; the same sentence everywhere. */
export function busyMessage(dataDir: string, holder: LockHolder, problem?: string): string {
  const lock = lockPathOf(dataDir);
  if (holder.hostname !== hostname())
    return `${dataDir} is in use by Mitra on ${holder.hostname} (pid ${holder.pid}); run the command there, or delete ${lock} if Mitra no longer runs there.`;
  if (holder.holder === 'command' && holder.command === 'worker')
    return `\`mitra worker\` (pid ${holder.pid}) is using ${dataDir}; stop it (Ctrl-C, or kill ${holder.pid}), then run this again.`;
  if (holder.holder === 'command')
    return `\`mitra ${holder.command}\` (pid ${holder.pid}) is using ${dataDir}; wait until it finishes, then run this again.`;
  if (!holder.url)
    return `The Mitra server (pid ${holder.pid}) is starting on ${dataDir}; run this again once it is up.`;
  if (!problem) return alreadyRuns(dataDir, holder.pid, holder.url);
  return `The Mitra server (pid ${holder.pid}, ${holder.url}) holds ${dataDir} but ${problem}; stop it (kill ${holder.pid}) and run this again, or delete ${lock} if that process is not Mitra.`;
}

export const dataDirInUse = (message: string) => new MitraError('conflict', 'data-dir-in-use', message);

export interface DataDirLock {
  readonly holder: LockHolder;
  /** Rewrites the file with more facts (the server's URL once it listens), atomically. */
  update(fields: Partial<Pick<LockHolder, 'url'>>): void;
  /** Removes the file if it is still ours. Safe to call twice. */
  release(): void;
}

function writePrivate(path: string, holder: LockHolder) {
  writeFileSync(path, `${JSON.stringify(holder, null, 2)}\n`, { mode: 0o600 });
  // The mode above applies only when the file is created; make sure of it either way.
  chmodSync(path, 0o600);
}

/** Hard links where the file system has them; else an exclusive create (which may be read half-written). */
function linkOrCreate(aside: string, path: string, holder: LockHolder) {
  try {
    linkSync(aside, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
    writeFileSync(path, `${JSON.stringify(holder, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  }
}

/**
 * Claims the folder or throws `data-dir-in-use` with a one-line message. The file appears whole
 * (written aside, then hard-linked into place, which fails if the name exists), so a reader never
 * sees half a lock. A stale lock (its pid is dead) is removed and the claim tried again.
 */
export function claimDataDir(
  dataDir: string,
  claim: Pick<LockHolder, 'holder' | 'command' | 'token'>,
): DataDirLock {
  const path = lockPathOf(dataDir);
  let holder: LockHolder = {
    format: 1,
    ...claim,
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    instance: randomUUID(),
  };
  const aside = `${path}.${holder.instance}.tmp`;
  try {
    mkdirSync(dataDir, { recursive: true });
    writePrivate(aside, holder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS') throw error;
    throw dataDirInUse(
      `You cannot write to ${dataDir} (${code}): run the command as the user who owns it, the one who starts the server.`,
    );
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkOrCreate(aside, path, holder);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const found = readLock(dataDir);
      if (found.state === 'held') throw dataDirInUse(busyMessage(dataDir, found.holder));
      if (found.state === 'unreadable' && found.reason === 'EACCES')
        throw dataDirInUse(
          `${path} is not readable by you: run the command as the user who started the server on ${dataDir}.`,
        );
      if (found.state === 'unreadable' || attempt >= 2)
        throw dataDirInUse(
          `${path} exists but cannot be read (${found.state === 'unreadable' ? found.reason : 'it keeps changing'}); if no Mitra runs on ${dataDir}, delete it and run this again.`,
        );
      if (found.state === 'stale') unlinkSync(path);
    }
  } finally {
    unlinkSync(aside);
  }
  const ours = () => {
    const now = readLock(dataDir);
    return now.state !== 'free' && now.state !== 'unreadable' && now.holder.instance === holder.instance;
  };
  // Two claimers replacing the same stale lock at once could each remove the other's fresh file;
  // reading back what is there now catches the loser.
  if (!ours()) {
    const now = readLock(dataDir);
    throw dataDirInUse(
      now.state === 'held' ? busyMessage(dataDir, now.holder) : `${dataDir} changed hands; run this again.`,
    );
  }
  let released = false;
  const lock: DataDirLock = {
    get holder() {
      return holder;
    },
    update(fields) {
      holder = { ...holder, ...fields };
      const next = `${path}.${holder.instance}.tmp`;
      writePrivate(next, holder);
      renameSync(next, path);
    },
    release() {
      if (released) return;
      released = true;
      process.off('exit', lock.release);
      try {
        if (ours()) unlinkSync(path);
      } catch {
        // Gone already: nothing to release.
      }
    },
  };
  // A crash still frees the folder for the next start; SIGKILL leaves a stale lock, replaced then.
  process.on('exit', lock.release);
  return lock;
}
