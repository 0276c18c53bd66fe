import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type ServerProcess = { child: ChildProcess; base: string; stop: () => Promise<void>; isRunning: () => boolean };

/** A real server process (`src/server/main.ts`) on the given database, ready when this resolves. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = 41000 + Math.floor(Math.random() * 4000);
  const base = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodoctor-process-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      PUBLIC_URL: base,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  for (let i = 0; i < 150 && !exited; i++) {
    const ready = await fetch(`${base}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) {
      return {
        child,
        base,
        isRunning: () => !exited,
        stop: async () => {
          if (!exited) {
            child.kill('SIGTERM');
            await new Promise((resolve) => child.once('exit', resolve));
          }
          fs.rmSync(dataDir, { recursive: true, force: true });
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
  throw new Error('the server process did not become ready');
}
