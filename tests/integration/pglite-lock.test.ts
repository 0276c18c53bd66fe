import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/client.js';
import { currentProcess, DirectoryLockedError } from '../../src/server/db/directory-lock.js';

describe('the embedded database directory is opened by one process at a time', () => {
  it('a second opener is refused with a clear message, and may open it once the first closes', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodoctor-lock-'));
    try {
      const first = await openDatabase({ dataDir: path.join(dataDir, 'nested', 'deeper') });
      await expect(openDatabase({ dataDir: path.join(dataDir, 'nested', 'deeper') })).rejects.toThrow(
        DirectoryLockedError,
      );
      await expect(openDatabase({ dataDir: path.join(dataDir, 'nested', 'deeper') })).rejects.toThrow(
        /in use by process \d+/,
      );
      await first.close();
      const second = await openDatabase({ dataDir: path.join(dataDir, 'nested', 'deeper') });
      await second.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a lock left by a dead process is taken over', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodoctor-lock-'));
    try {
      const child = spawn(process.execPath, ['-e', '0']);
      await new Promise((resolve) => child.on('exit', resolve));
      fs.writeFileSync(path.join(dataDir, 'pglite.lock'), String(child.pid));
      const database = await openDatabase({ dataDir });
      await database.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('another live process holding the lock is refused', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodoctor-lock-'));
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      fs.writeFileSync(path.join(dataDir, 'pglite.lock'), String(holder.pid));
      await expect(openDatabase({ dataDir })).rejects.toThrow(`in use by process ${holder.pid}`);
    } finally {
      holder.kill();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a lock naming a live pid whose process started at another time is stale (PID 1 again after a crash)', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodoctor-lock-'));
    const unrelated = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      const self = currentProcess();
      const lockFile = path.join(dataDir, 'pglite.lock');
      // The previous server had this very pid, or another live process's, but started earlier.
      for (const pid of [process.pid, unrelated.pid!]) {
        fs.writeFileSync(lockFile, JSON.stringify({ pid, startedAt: '1', bootId: self.bootId }));
        const database = await openDatabase({ dataDir });
        expect(JSON.parse(fs.readFileSync(lockFile, 'utf8')).pid).toBe(process.pid);
        await database.close();
      }
      // A lock from before a reboot is stale whatever its pid.
      fs.writeFileSync(lockFile, JSON.stringify({ pid: unrelated.pid, startedAt: null, bootId: 'another-boot' }));
      await (await openDatabase({ dataDir })).close();
    } finally {
      unrelated.kill();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
