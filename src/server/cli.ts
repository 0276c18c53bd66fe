import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { createAuth, resolveAuthSecret } from './auth/auth.js';
import { ConfigError, parseConfig, type Config } from './config.js';
import { migrateDatabase, openDatabase, type Database } from './db/client.js';
import { DirectoryLockedError } from './db/directory-lock.js';
import { ensureUser, seedDemo, seedPlans } from './db/seed.js';
import { setRole } from './accounts/account.repository.js';
import { createPaymentProvider } from './payments/create-provider.js';
import { NOTICE_CHANNEL } from './realtime/bus.js';
import { createNotifications } from './notifications/mailer.js';
import { pino } from 'pino';
import { findViolations } from './admin/invariants.repository.js';
import { inspectMechanic } from './admin/inspect-mechanic.js';
import { inspectSession } from './admin/inspect-session.js';
import { systemClock, type Ctx } from './context.js';

const USAGE = `Usage: npm run cli -- <command>

  migrate                                 apply database migrations
  seed [--demo]                           seed plans (and the demo accounts)
  user create-admin <email> [--password <pw>]
                                          create an admin (prints a generated password once)
  doctor                                  check invariants I1–I7; exit 1 when any is violated
  session inspect <id>                    explain one session
  mechanic inspect <email>                explain why a mechanic can or cannot see requests

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

async function authFor(config: Config, database: Database) {
  return createAuth({
    db: database.db,
    secret: await resolveAuthSecret(database.db, config.authSecret, config.dataDir),
    publicUrl: config.publicUrl,
    trustedOrigins: [config.publicUrl],
    signInRateLimit: { windowSeconds: 60, max: 10 },
    secureCookies: false,
  });
}

/** A use-case context for one-shot commands: real clock, no realtime, silent logs. */
function cliContext(config: Config, database: Database): Ctx {
  return {
    db: database.db,
    clock: systemClock,
    windows: config.windows,
    bus: { publish: () => {} },
    log: pino({ level: 'silent' }),
    payments: {
      provider: createPaymentProvider(config.payments, database.db, systemClock),
      platformFeePercent: config.payments.platformFeePercent,
      noShowFeePercent: config.payments.noShowFeePercent,
    },
    // Commands enqueue emails but never send them (the server's runner does), nor sign links.
    notifications: createNotifications(config, config.authSecret ?? 'cli-signs-nothing'),
  };
}

function formatSession(r: Awaited<ReturnType<typeof inspectSession>>): string {
  const lines = [
    `Session ${r.session.id}  (${r.location.note})`,
    `  status     ${r.session.status} — ${r.statusExplained}`,
    `  plan       ${r.session.plan} (${r.session.kind}), ${r.session.plannedMinutes} min, version ${r.session.version}`,
    `  deadline   ${r.deadline.at ?? '—'}${r.deadline.overdue ? '  OVERDUE' : ''}: the sweeper will ${r.deadline.action}`,
    ...(r.deadline.countdownEndsAt
      ? [`  countdown  ends ${r.deadline.countdownEndsAt}; abandoned if nobody is seen by ${r.deadline.abandonAt}`]
      : []),
    '  participants',
    ...r.participants.map(
      (p) =>
        `    ${p.role.padEnd(9)} ${p.email ?? p.userId}  joined ${p.joinedAt ?? 'never'}  ${p.connected ? 'connected' : 'not connected'}  last seen ${p.lastSeenAt ?? 'never'}`,
    ),
    '  timeline',
    ...r.events.map(
      (e) => `    #${e.id} ${e.createdAt} ${e.type} by ${e.actorRole} ${e.fromStatus ?? '∅'} → ${e.toStatus ?? '∅'}`,
    ),
    `  violations ${r.violations.length === 0 ? 'none' : ''}`,
    ...r.violations.map((v) => `    ${v.invariant} ${v.detail}`),
    '  recommendations',
    ...r.recommendations.map((x) => `    - ${x}`),
  ];
  return lines.join('\n');
}

function formatMechanic(r: Awaited<ReturnType<typeof inspectMechanic>>): string {
  const m = r.mechanic;
  const lines = [
    `${r.user.email} (${r.user.name}) — role ${r.user.role}${r.user.banned ? ', BANNED' : ''}, auth linked: ${r.authLinked ? 'yes' : 'NO'}`,
    m
      ? `  ${m.serviceTier}${m.workshopId ? ` of workshop ${m.workshopId}` : ''}, approval ${m.approvalStatus}, can accept ${m.canAcceptSessions ? 'yes' : 'no'}, ${m.onShift ? 'on shift' : 'off shift'}`
      : '  no mechanics row',
    `  eligible: ${r.eligibility.eligible ? 'yes' : `no (${r.eligibility.blockedBy})`}`,
    `  active session: ${r.activeSession ? `${r.activeSession.id} (${r.activeSession.status})` : 'none'}`,
    `  pending requests: ${r.queueVisibility.length}`,
    ...r.queueVisibility.map(
      (q) => `    ${q.sessionId} ${q.plan.padEnd(10)} ${q.visible ? 'visible' : `hidden by ${q.hiddenBy}`}`,
    ),
    '  recommendations',
    ...r.recommendations.map((x) => `    - ${x}`),
  ];
  return lines.join('\n');
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
        if (values.demo) await seedDemo(database.db, await authFor(config, database));
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
        const userId = await ensureUser(database.db, await authFor(config, database), {
          email: arg,
          password,
          name: arg.split('@')[0]!,
          role: 'admin',
        });
        await setRole(database.db, userId, 'admin', new Date());
        // Running servers may have this user's sign-in cached with the old role.
        await database.notify(NOTICE_CHANNEL, JSON.stringify({ kind: 'auth', userId }));
        return userId;
      });
      out.print(`Admin ${arg} is ready (id ${id}).${generated ? `\nPassword (shown once): ${password}` : ''}`, {
        id,
        email: arg,
        ...(generated ? { password } : {}),
      });
      return 0;
    }
    case 'doctor': {
      const violations = await withDatabase(config, (database) =>
        findViolations(database.db, {
          now: new Date(),
          sweepIntervalMs: config.sweepIntervalMs,
          noShowFeePercent: config.payments.noShowFeePercent,
        }),
      );
      const human =
        violations.length === 0
          ? 'OK: no invariant is violated.'
          : [
              `${violations.length} violation(s):`,
              ...violations.map((v) => `  ${v.invariant}  ${v.sessionId ?? '-'}  ${v.detail}`),
            ].join('\n');
      out.print(human, { ok: violations.length === 0, violations });
      return violations.length === 0 ? 0 : 1;
    }
    case 'session': {
      if (sub !== 'inspect' || !arg) break;
      if (!/^[0-9a-f-]{36}$/i.test(arg)) {
        console.error('A session id is a UUID.');
        return 2;
      }
      const report = await withDatabase(config, (database) =>
        inspectSession(cliContext(config, database), arg, config.sweepIntervalMs),
      );
      out.print(formatSession(report), report);
      return 0;
    }
    case 'mechanic': {
      if (sub !== 'inspect' || !arg) break;
      const report = await withDatabase(config, (database) =>
        inspectMechanic(cliContext(config, database), arg.includes('@') ? { email: arg } : { userId: arg }),
      );
      out.print(formatMechanic(report), report);
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
