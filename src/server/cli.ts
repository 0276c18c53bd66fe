import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { createAuth, resolveAuthSecret } from './auth/auth.js';
import { ConfigError, parseConfig, type Config } from './config.js';
import { migrateDatabase, openDatabase, type Database } from './db/client.js';
import { DirectoryLockedError } from './db/directory-lock.js';
import { ensureUser, seedDemo, seedPlans } from './db/seed.js';
import { users } from './db/schema.js';

const USAGE = `Usage: npm run cli -- <command>

  migrate                                 apply database migrations
  seed [--demo]                           seed plans (and the demo accounts)
  user create-admin <email> [--password <pw>]
                                          create an admin (prints a generated password once)

Add --json for machine-readable output.`;

type Output = { json: boolean; print: (human: string, data: unknown) => void };

async function withDatabase<T>(config: Config, run: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    await migrateDatabase(database);
    return await run(database);
  } finally {
    await database.close();
  }
}

function authFor(config: Config, database: Database) {
  return createAuth({
    db: database.db,
    secret: resolveAuthSecret(config.authSecret, config.dataDir),
    publicUrl: config.publicUrl,
    trustedOrigins: [config.publicUrl],
    signInRateLimit: { windowSeconds: 60, max: 10 },
    secureCookies: false,
  });
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      demo: { type: 'boolean' },
      password: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const out: Output = {
    json: Boolean(values.json),
    print: (human, data) => console.log(values.json ? JSON.stringify(data, null, 2) : human),
  };
  const [command, sub, arg] = positionals;
  if (!command || values.help) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const config = parseConfig(process.env);

  switch (command) {
    case 'migrate':
      await withDatabase(config, async () => {});
      out.print('Migrations applied.', { ok: true });
      return 0;
    case 'seed':
      await withDatabase(config, async (database) => {
        await seedPlans(database.db);
        if (values.demo) await seedDemo(database.db, authFor(config, database));
      });
      out.print(values.demo ? 'Plans and demo accounts seeded.' : 'Plans seeded.', {
        ok: true,
        demo: Boolean(values.demo),
      });
      return 0;
    case 'user': {
      if (sub !== 'create-admin' || !arg || !/^[^@\s]+@[^@\s]+$/.test(arg)) break;
      const generated = !values.password;
      const password = values.password ?? crypto.randomBytes(12).toString('base64url');
      if (password.length < 8) {
        console.error('The password needs at least 8 characters.');
        return 2;
      }
      const id = await withDatabase(config, async (database) => {
        const userId = await ensureUser(database.db, authFor(config, database), {
          email: arg,
          password,
          name: arg.split('@')[0]!,
          role: 'admin',
        });
        await database.db.update(users).set({ role: 'admin' }).where(eq(users.id, userId));
        return userId;
      });
      out.print(`Admin ${arg} is ready (id ${id}).${generated ? `\nPassword (shown once): ${password}` : ''}`, {
        id,
        email: arg,
        ...(generated ? { password } : {}),
      });
      return 0;
    }
  }
  console.error(`Unknown command: ${positionals.join(' ')}\n\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof DirectoryLockedError) console.error(error.message);
    else console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
