import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimDataDir, type LockHolder, lockPathOf, readLock } from '../../src/cli/data-dir-lock.ts';

/** A pid that just ended: `spawnSync` waits for the child, so nothing runs under it any more. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

const lockOf = (fields: Partial<LockHolder>): LockHolder => ({
  format: 1,
  holder: 'server',
  command: 'serve',
  pid: process.pid,
  hostname: hostname(),
  startedAt: new Date().toISOString(),
  instance: 'someone-else',
  ...fields,
});

describe('the data folder lock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mitra-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is written whole, readable by its owner only, and removed on release', () => {
    const lock = claimDataDir(dir, { holder: 'server', command: 'serve', token: 'secret' });
    expect(statSync(lockPathOf(dir)).mode & 0o777).toBe(0o600);
    expect(readLock(dir)).toMatchObject({ state: 'held', holder: { pid: process.pid, token: 'secret' } });
    lock.update({ url: 'http://127.0.0.1:1234' });
    expect(statSync(lockPathOf(dir)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(lockPathOf(dir), 'utf8'))).toMatchObject({ url: 'http://127.0.0.1:1234' });
    lock.release();
    expect(existsSync(lockPathOf(dir))).toBe(false);
    // Nothing is left beside it (the file is written aside, then linked into place).
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a second holder with one line naming the first', () => {
    const lock = claimDataDir(dir, { holder: 'command', command: 'usage import' });
    let message = '';
    try {
      claimDataDir(dir, { holder: 'server', command: 'serve' });
    } catch (error) {
      expect(error).toMatchObject({ code: 'data-dir-in-use' });
      message = (error as Error).message;
    }
    expect(message).toMatch(/`mitra usage import` \(pid \d+\) is using .*; wait until it finishes/);
    expect(message).not.toContain('\n');
    lock.release();
  });

  it('replaces a stale lock (its process is gone)', () => {
    writeFileSync(lockPathOf(dir), JSON.stringify(lockOf({ pid: deadPid() })));
    expect(readLock(dir).state).toBe('stale');
    const lock = claimDataDir(dir, { holder: 'command', command: 'migrate' });
    expect(readLock(dir)).toMatchObject({ state: 'held', holder: { pid: process.pid, command: 'migrate' } });
    lock.release();
  });

  it('does not release a lock that is no longer its own', () => {
    const lock = claimDataDir(dir, { holder: 'command', command: 'migrate' });
    writeFileSync(lockPathOf(dir), JSON.stringify(lockOf({ instance: 'a-later-holder' })));
    lock.release();
    expect(readLock(dir)).toMatchObject({ state: 'held', holder: { instance: 'a-later-holder' } });
  });

  it('says what to do when the lock cannot be read', () => {
    writeFileSync(lockPathOf(dir), 'not json');
    expect(() => claimDataDir(dir, { holder: 'server', command: 'serve' })).toThrow(
      /cannot be read \(not JSON\); if no Mitra runs on .*, delete it/,
    );
  });
});
