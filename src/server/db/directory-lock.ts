import fs from 'node:fs';
import path from 'node:path';

export type DirectoryLock = { path: string; release: () => void };

export class DirectoryLockedError extends Error {
  override name = 'DirectoryLockedError';
}

/** Who holds the lock: the process, and enough to tell it from a later process with the same pid. */
export type LockOwner = { pid: number; startedAt: string | null; bootId: string | null };

/**
 * PGlite corrupts its data directory silently when two processes open it, so the opener holds a
 * lock file naming itself. A pid alone is not enough: after a crash in a container the next server
 * is often PID 1 again, and any live process with the recorded pid used to keep the lock for ever.
 * So the lock records the process's start time (Linux: /proc/<pid>/stat) and the boot id; a lock
 * is held only while a process with that pid *and* that start time, in this boot, is alive.
 */
export function acquireDirectoryLock(directory: string, self: LockOwner = currentProcess()): DirectoryLock {
  const lockPath = path.join(directory, '..', `${path.basename(directory)}.lock`);
  const mine = JSON.stringify(self);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, mine);
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          if (fs.readFileSync(lockPath, 'utf8') === mine) fs.unlinkSync(lockPath);
        } catch {
          // Already gone: nothing to release.
        }
      };
      process.on('exit', release);
      return { path: lockPath, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readOwner(lockPath);
      if (holder && isHeldBy(holder, self)) {
        throw new DirectoryLockedError(
          `The embedded database in ${directory} is in use by process ${holder.pid}. ` +
            'Only one process may open it: stop that process, or set DATABASE_URL to share a PostgreSQL server.',
        );
      }
      fs.rmSync(lockPath, { force: true }); // stale: its process is gone
    }
  }
  throw new DirectoryLockedError(`Could not lock ${directory}`);
}

export function currentProcess(): LockOwner {
  return { pid: process.pid, startedAt: startTimeOf(process.pid), bootId: bootId() };
}

/** Whether the recorded owner is still alive: same boot, same pid, same start time. */
function isHeldBy(holder: LockOwner, self: LockOwner): boolean {
  if (holder.bootId && self.bootId && holder.bootId !== self.bootId) return false; // the machine rebooted
  if (holder.pid === self.pid) return holder.startedAt === null || holder.startedAt === self.startedAt;
  if (!isAlive(holder.pid)) return false;
  const startedAt = startTimeOf(holder.pid);
  // Where start times are unknown (not Linux), a live pid is all there is to go on.
  return holder.startedAt === null || startedAt === null || startedAt === holder.startedAt;
}

function readOwner(file: string): LockOwner | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
  if (/^\d+$/.test(text)) return { pid: Number(text), startedAt: null, bootId: null }; // an older lock: pid only
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    if (!Number.isInteger(parsed.pid) || parsed.pid! <= 0) return null;
    return { pid: parsed.pid!, startedAt: parsed.startedAt ?? null, bootId: parsed.bootId ?? null };
  } catch {
    return null; // unreadable: treat as stale
  }
}

/** Field 22 of /proc/<pid>/stat: start time in clock ticks since boot (null where there is no /proc). */
function startTimeOf(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: count from after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function bootId(): string | null {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
