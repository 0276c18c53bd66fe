// Measures `doctor` (invariants I1–I7) over 1,000,000 sessions with their events on PostgreSQL.
// Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx scripts/doctor-scale.ts [sessions]
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { findViolations } from '../src/server/admin/invariants.repository.js';
import { migrateDatabase, openDatabase } from '../src/server/db/client.js';
import { seedPlans } from '../src/server/db/seed.js';

const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const count = Number(process.argv[2] ?? 1_000_000);
const name = `autodoctor_scale_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(base);
url.pathname = `/${name}`;
const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
try {
  await migrateDatabase(database);
  await seedPlans(database.db);
  const started = Date.now();
  const customers = Math.ceil(count / 10);
  await database.db.execute(
    sql.raw(`
    INSERT INTO users (id, name, email, role)
      SELECT md5('c' || i)::uuid, 'c' || i, 'c' || i || '@scale.test', 'customer' FROM generate_series(1, ${customers}) i;
    INSERT INTO users (id, name, email, role)
      SELECT md5('m' || i)::uuid, 'm' || i, 'm' || i || '@scale.test', 'mechanic' FROM generate_series(1, 1000) i;
    INSERT INTO mechanics (user_id, display_name, service_tier, approval_status)
      SELECT md5('m' || i)::uuid, 'm' || i, 'virtual_only', 'approved' FROM generate_series(1, 1000) i;
    INSERT INTO sessions (id, customer_id, mechanic_id, plan, kind, vehicle, concern, status, version, requested_at,
                          accepted_at, started_at, ended_at, planned_minutes, duration_minutes, end_reason, ended_by)
      SELECT md5('s' || i)::uuid, md5('c' || (i % ${customers} + 1))::uuid, md5('m' || (i % 1000 + 1))::uuid, 'quick', 'chat',
             '{"year":2015,"make":"Ford","model":"Focus"}', 'Generated for the doctor benchmark.', 'completed', 4,
             now() - interval '30 days' + i * interval '1 second', now() - interval '30 days' + i * interval '1 second',
             now() - interval '30 days' + i * interval '1 second', now() - interval '29 days' + i * interval '1 second',
             30, 20, 'ended_by_participant', 'customer'
      FROM generate_series(1, ${count}) i;
    INSERT INTO session_participants (session_id, user_id, role, joined_at)
      SELECT id, customer_id, 'customer', started_at FROM sessions
      UNION ALL SELECT id, mechanic_id, 'mechanic', started_at FROM sessions;
    INSERT INTO session_events (session_id, type, actor_role, from_status, to_status, created_at)
      SELECT s.id, e.type, e.actor, e.from_status, e.to_status, s.requested_at FROM sessions s
      CROSS JOIN (VALUES (1, 'session.created', 'customer', NULL, 'pending'), (2, 'session.accepted', 'mechanic', 'pending', 'accepted'),
                         (3, 'session.started', 'mechanic', 'accepted', 'live'), (4, 'session.ended', 'customer', 'live', 'completed'))
                  AS e(n, type, actor, from_status, to_status)
      ORDER BY s.requested_at, e.n;
    ANALYZE;
  `),
  );
  console.log(
    `generated ${count} sessions with ${count * 4} events in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  for (let run = 1; run <= 2; run++) {
    const t0 = Date.now();
    const violations = await findViolations(database.db, { now: new Date(), sweepIntervalMs: 5000 });
    console.log(`doctor run ${run}: ${violations.length} violations in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
} finally {
  await database.close();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
