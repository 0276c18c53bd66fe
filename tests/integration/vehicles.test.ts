import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions } from '../../src/server/db/schema.js';
import { vehicles } from '../../src/shared/contract/index.js';
import { admin, customer, mechanic, paidSessionBody, sessionBody, type TestUser } from '../factories/index.js';
import { liveSession, pendingSession } from '../factories/sessions.js';
import { call, get, post, put } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let boss: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  boss = await admin(t);
});
afterAll(() => t.close());

const patch = (url: string, as: TestUser | undefined, body: unknown) => call(t, 'PATCH', url, { as, body });
const remove = (url: string, as: TestUser | undefined) => call(t, 'DELETE', url, { as });
const nextYear = new Date().getUTCFullYear() + 1;

const HONDA = { year: 2003, make: 'Honda', model: 'Accord', vin: '1HGCM82633A004352', mileage: 182_000 };

async function saveVehicle(owner: TestUser, body: Record<string, unknown> = HONDA) {
  const reply = await post(t, '/api/vehicles', owner, body);
  if (reply.status !== 201) throw new Error(`save failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body as { id: string; vin: string | null };
}

/** A session request for a saved vehicle (the factory's inline vehicle left out). */
const fromGarage = (vehicleId: string, extra: Record<string, unknown> = {}) => ({
  vehicle: undefined,
  vehicleId,
  ...extra,
});

describe('the contract', () => {
  it('every garage endpoint is served and documented with its answers', () => {
    const document = t.app.swagger() as { paths: Record<string, Record<string, { responses?: object }>> };
    for (const e of Object.values(vehicles)) {
      expect(t.app.hasRoute({ method: e.method, url: e.path }), `${e.method} ${e.path}`).toBe(true);
      const operation = document.paths[e.path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[e.method.toLowerCase()];
      expect(Object.keys(operation?.responses ?? {}), `${e.method} ${e.path}`).toEqual(
        expect.arrayContaining([...Object.keys(e.responses), '4XX']),
      );
    }
  });
});

describe('VIN decode, offline from the NHTSA vPIC data shipped with the server', () => {
  it.each([
    [
      'Honda (USA)',
      '1HGCM82633A004352',
      {
        wmi: '1HG',
        manufacturer: 'AMERICAN HONDA MOTOR CO., INC.',
        make: 'Honda',
        model: 'Accord',
        modelYear: 2003,
        trim: 'EX-V6',
        bodyClass: 'Coupe',
        engine: '6 cylinders, J30A4',
        fuel: 'Gasoline',
      },
    ],
    [
      'Tesla (USA)',
      '5YJ3E1EA2KF317000',
      {
        manufacturer: 'TESLA, INC.',
        make: 'Tesla',
        model: 'Model 3',
        modelYear: 2019,
        bodyClass: 'Sedan',
        fuel: 'Electric',
        plantCountry: 'UNITED STATES (USA)',
      },
    ],
    [
      'Ford (USA)',
      '1FTFW1ET9DFC10312',
      {
        make: 'Ford',
        model: 'F-150',
        modelYear: 2013,
        bodyClass: 'Pickup',
        engine: '3.5 L, 6 cylinders',
        fuel: 'Gasoline',
      },
    ],
    [
      'Ford (Mexico)',
      '3FADP4BJ3EM123456',
      { make: 'Ford', model: 'Fiesta', modelYear: 2014, trim: 'SE', plantCountry: 'MEXICO' },
    ],
    [
      'Toyota (Japan)',
      'JTDKN3DU6A0123456',
      {
        manufacturer: 'TOYOTA MOTOR CORPORATION',
        make: 'Toyota',
        model: 'Prius',
        modelYear: 2010,
        bodyClass: 'Hatchback',
        engine: '1.8 L, 4 cylinders, 2ZR-FXE+3JM',
        fuel: 'Hybrid',
      },
    ],
    [
      'BMW (Germany)',
      'WBA3A5C57CF256651',
      { manufacturer: 'BMW AG', make: 'BMW', model: '328i', modelYear: 2012, engine: '2.0 L, 4 cylinders' },
    ],
    [
      'Land Rover (UK)',
      'SALGS2EF0GA123456',
      { make: 'Land Rover', model: 'Range Rover', modelYear: 2016, bodyClass: 'SUV', plantCountry: 'ENGLAND' },
    ],
    ['Hyundai (Korea)', 'KMHDH4AE1DU123456', { make: 'Hyundai', model: 'Elantra', modelYear: 2013 }],
  ])('%s: %s', async (_maker, vin, expected) => {
    const reply = await get(t, `/api/vin/${vin}`, await customer(t));
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      vin,
      valid: true,
      checkDigitOk: true,
      wmi: vin.slice(0, 3),
      source: 'nhtsa_vpic',
      warnings: [],
      ...expected,
    });
    expect(reply.body.known).toEqual(expect.arrayContaining(Object.keys(expected).filter((k) => k !== 'wmi')));
    expect(reply.body.dataset).toMatch(/^NHTSA vPIC \(@cardog\/corgi \d+\.\d+\.\d+\)$/);
  });

  it('unpacks the data set into DATA_DIR once, and reads it from there', async () => {
    await get(t, '/api/vin/1HGCM82633A004352', await customer(t));
    const files = fs.readdirSync(path.join(t.dataDir, 'vpic')).filter((f) => f.endsWith('.db'));
    expect(files).toEqual([expect.stringMatching(/^vpic-lite-\d+\.\d+\.\d+\.db$/)]);
  });

  it('reads a VIN typed in lower case', async () => {
    const reply = await get(t, '/api/vin/1hgcm82633a004352', await customer(t));
    expect(reply.body).toMatchObject({ vin: '1HGCM82633A004352', make: 'Honda', model: 'Accord' });
  });

  it('a European VIN with a wrong check digit is decoded, flagged and warned about, never refused', async () => {
    const reply = await get(t, '/api/vin/WBA3A5C51CF256651', await customer(t));
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ valid: true, checkDigitOk: false, make: 'BMW', model: '328i', modelYear: 2012 });
    expect(reply.body.warnings).toEqual([expect.stringContaining('9th character is not this VIN’s check digit')]);
  });

  it('a European VIN with a letter where the check digit would be: the manufacturer, and what it cannot know', async () => {
    const reply = await get(t, '/api/vin/WVWZZZ1KZ6W123456', await customer(t));
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      checkDigitOk: false,
      manufacturer: 'VOLKSWAGEN AG',
      make: 'Volkswagen',
      source: 'nhtsa_vpic_wmi',
      known: ['manufacturer', 'make', 'modelYear'],
    });
    expect(reply.body).not.toHaveProperty('model');
    expect(reply.body.warnings).toEqual(
      expect.arrayContaining([expect.stringContaining('not this model'), expect.stringContaining('check the year')]),
    );
  });

  it('a WMI of several makes gives the one its manufacturer is named after (Renault, not Eagle)', async () => {
    const reply = await get(t, '/api/vin/VF1BB05CF26123456', await customer(t));
    expect(reply.body).toMatchObject({ manufacturer: 'RENAULT GROUP', make: 'Renault', source: 'nhtsa_vpic_wmi' });
    expect(reply.body).not.toHaveProperty('trim');
  });

  it('a valid VIN of a manufacturer the data set does not know says so', async () => {
    const reply = await get(t, '/api/vin/11111111111111111', await customer(t));
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ manufacturer: null, make: null, source: 'vin_structure', known: ['modelYear'] });
    expect(reply.body.warnings).toEqual([expect.stringContaining('not in the NHTSA data set')]);
  });

  it.each([
    ['too short', '1HGCM82633A00435', 'A VIN has exactly 17 characters'],
    ['too long', '1HGCM82633A0043521', 'A VIN has exactly 17 characters'],
    ['an I', '1HGCM82633A00435I', 'A VIN uses digits and capital letters except I, O and Q'],
    ['an O', 'WBA3A5C5OCF256651', 'A VIN uses digits and capital letters except I, O and Q'],
    ['a Q', 'JTDKN3DU6A012345Q', 'A VIN uses digits and capital letters except I, O and Q'],
    ['a typo in a North American VIN', '1HGCM82643A004352', 'check digit (9th character) does not match'],
    ['a wrong check digit on a Tesla', '5YJ3E1EA7KF317000', 'check digit (9th character) does not match'],
  ])('refuses a VIN with %s, saying why', async (_why, vin, reason) => {
    const reply = await get(t, `/api/vin/${vin}`, await customer(t));
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      detail: expect.stringContaining(reason),
      errors: [{ path: 'params.vin', message: expect.stringContaining(reason) }],
    });
  });

  it('needs a signed-in user', async () => {
    expect((await get(t, '/api/vin/1HGCM82633A004352')).status).toBe(401);
  });
});

describe('trouble codes in plain words', () => {
  it('a generic code: its standard description, causes and severity hint, to anyone', async () => {
    const reply = await get(t, '/api/dtc/P0420');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      code: 'P0420',
      system: 'powertrain',
      generic: true,
      known: true,
      description: 'Catalyst System Efficiency Below Threshold (Bank 1)',
      severityHint: 'soon',
    });
    expect(reply.body.commonCauses.length).toBeGreaterThanOrEqual(2);
  });

  it('reads a code typed in lower case', async () => {
    expect((await get(t, '/api/dtc/p0301')).body).toMatchObject({
      code: 'P0301',
      description: 'Cylinder 1 Misfire Detected',
      severityHint: 'urgent',
    });
  });

  it.each([
    ['P1234', 'powertrain', false, /^Manufacturer-specific powertrain code/],
    ['C1234', 'chassis', false, /^Manufacturer-specific chassis code/],
    ['B1A00', 'body', false, /^Manufacturer-specific body code/],
    ['U0100', 'network', true, /^Generic network code/],
  ])('%s, not in the table, still says its system and whether it is generic', async (code, system, generic, text) => {
    const reply = await get(t, `/api/dtc/${code}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ code, system, generic, known: false, severityHint: 'soon' });
    expect(reply.body.description).toMatch(text);
    expect(reply.body).not.toHaveProperty('commonCauses');
  });

  it.each(['P9999', 'P4000', 'X0100', 'P03', 'P030G', 'P03011'])(
    'refuses %s with what a code looks like',
    async (code) => {
      const reply = await get(t, `/api/dtc/${code}`);
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        detail: expect.stringContaining('for example P0301'),
        errors: [{ path: 'params.code' }],
      });
    },
  );
});

describe('the garage: who may do what', () => {
  it('anonymous callers are 401 everywhere', async () => {
    const owner = await customer(t);
    const vehicle = await saveVehicle(owner);
    expect((await get(t, '/api/vehicles')).status).toBe(401);
    expect((await post(t, '/api/vehicles', undefined, HONDA)).status).toBe(401);
    expect((await get(t, `/api/vehicles/${vehicle.id}`)).status).toBe(401);
    expect((await patch(`/api/vehicles/${vehicle.id}`, undefined, { mileage: 1 })).status).toBe(401);
    expect((await remove(`/api/vehicles/${vehicle.id}`, undefined)).status).toBe(401);
    expect((await get(t, `/api/vehicles/${vehicle.id}/history`)).status).toBe(401);
  });

  it('mechanics and admins keep no garage: 403 on the list and on saving', async () => {
    for (const who of [await mechanic(t), boss]) {
      expect((await post(t, '/api/vehicles', who, HONDA)).status).toBe(403);
      expect((await get(t, '/api/vehicles', who)).status).toBe(403);
    }
  });

  it('another customer, a mechanic or an admin gets 404 for someone’s vehicle, and changes nothing', async () => {
    const owner = await customer(t);
    const vehicle = await saveVehicle(owner);
    for (const stranger of [await customer(t), await mechanic(t), boss]) {
      expect((await get(t, `/api/vehicles/${vehicle.id}`, stranger)).status).toBe(404);
      expect((await patch(`/api/vehicles/${vehicle.id}`, stranger, { mileage: 1 })).status).toBe(404);
      expect((await remove(`/api/vehicles/${vehicle.id}`, stranger)).status).toBe(404);
    }
    const other = await customer(t);
    expect((await get(t, `/api/vehicles/${vehicle.id}/history`, other)).status).toBe(404);
    expect((await get(t, '/api/vehicles', other)).body.items).toEqual([]);
    expect((await get(t, `/api/vehicles/${vehicle.id}`, owner)).body).toMatchObject({ mileage: 182_000 });
  });

  it('the owner saves, lists, changes and deletes; a VIN fills in what the decode knows', async () => {
    const owner = await customer(t);
    const created = await post(t, '/api/vehicles', owner, { ...HONDA, nickname: 'Old faithful' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      nickname: 'Old faithful',
      vin: '1HGCM82633A004352',
      year: 2003,
      make: 'Honda',
      model: 'Accord',
      trim: 'EX-V6',
      engine: '6 cylinders, J30A4',
      fuel: 'Gasoline',
      mileage: 182_000,
      decoded: { source: 'nhtsa_vpic', model: 'Accord', modelYear: 2003, checkDigitOk: true },
    });
    t.clock.advanceSeconds(60);
    const plain = await saveVehicle(owner, { year: 2016, make: 'Toyota', model: 'Corolla', trim: 'LE' });
    expect(plain).toMatchObject({ vin: null, trim: 'LE', engine: null, decoded: null });

    const list = await get(t, '/api/vehicles', owner);
    expect(list.body.items.map((v: { id: string }) => v.id)).toEqual([created.body.id, plain.id]);

    t.clock.advanceSeconds(60);
    const changed = await patch(`/api/vehicles/${created.body.id}`, owner, { mileage: 183_500, nickname: null });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ mileage: 183_500, nickname: null, trim: 'EX-V6' });
    expect(Date.parse(changed.body.updatedAt)).toBeGreaterThan(Date.parse(created.body.updatedAt));

    const newVin = await patch(`/api/vehicles/${plain.id}`, owner, { vin: '2t1burhe8jc123456', year: 2018 });
    expect(newVin.body).toMatchObject({
      vin: '2T1BURHE8JC123456',
      trim: 'LE',
      engine: '1.8 L, 4 cylinders, 2ZR-FE',
      decoded: { make: 'Toyota', model: 'Corolla', modelYear: 2018 },
    });
    const cleared = await patch(`/api/vehicles/${plain.id}`, owner, { vin: null });
    expect(cleared.body).toMatchObject({ vin: null, decoded: null });

    const deleted = await remove(`/api/vehicles/${plain.id}`, owner);
    expect(deleted.status).toBe(200);
    expect(deleted.body.id).toBe(plain.id);
    expect((await get(t, `/api/vehicles/${plain.id}`, owner)).status).toBe(404);
    expect((await remove(`/api/vehicles/${plain.id}`, owner)).status).toBe(404);
  });

  it('keeps a European VIN whose 9th character is no check digit', async () => {
    const owner = await customer(t);
    const saved = await post(t, '/api/vehicles', owner, {
      year: 2006,
      make: 'Volkswagen',
      model: 'Golf',
      vin: 'WVWZZZ1KZ6W123456',
    });
    expect(saved.status).toBe(201);
    expect(saved.body.decoded).toMatchObject({ checkDigitOk: false, make: 'Volkswagen' });
  });

  it('a VIN once per garage; another customer may have owned the same car', async () => {
    const owner = await customer(t);
    await saveVehicle(owner);
    const again = await post(t, '/api/vehicles', owner, { ...HONDA, vin: HONDA.vin.toLowerCase() });
    expect(again.status).toBe(400);
    expect(again.body.errors).toEqual([{ path: 'body.vin', message: 'is already in your garage' }]);
    expect((await post(t, '/api/vehicles', await customer(t), HONDA)).status).toBe(201);
  });

  it.each([
    [{ ...HONDA, year: 1949 }, 'body.year', `Year must be between 1950 and next year (${nextYear})`],
    [{ ...HONDA, year: nextYear + 1 }, 'body.year', `Year must be between 1950 and next year (${nextYear})`],
    [{ ...HONDA, year: 2003.5 }, 'body.year', 'Year is a whole number, for example 2016'],
    [{ ...HONDA, make: '   ' }, 'body.make', 'Make cannot be empty'],
    [{ ...HONDA, model: 'x'.repeat(81) }, 'body.model', 'Model must be at most 80 characters'],
    [{ ...HONDA, mileage: -5 }, 'body.mileage', 'Mileage cannot be negative'],
    [{ ...HONDA, vin: '1HGCM82643A004352' }, 'body.vin', 'This VIN’s check digit (9th character) does not match'],
    [{ ...HONDA, vin: '1HGCM8263' }, 'body.vin', 'A VIN has exactly 17 characters'],
  ])('refuses %j with a message for the field', async (body, field, message) => {
    const reply = await post(t, '/api/vehicles', await customer(t), body);
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('VALIDATION_FAILED');
    expect(reply.body.errors).toContainEqual({ path: field, message: expect.stringContaining(message) });
  });

  it('refuses unknown fields and an empty change', async () => {
    const owner = await customer(t);
    expect((await post(t, '/api/vehicles', owner, { ...HONDA, ownerId: boss.id })).status).toBe(400);
    const vehicle = await saveVehicle(owner);
    const empty = await patch(`/api/vehicles/${vehicle.id}`, owner, {});
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].message).toBe('Say what to change: at least one field');
    expect((await patch(`/api/vehicles/${vehicle.id}`, owner, { make: null })).status).toBe(400);
  });
});

describe('requesting a session for a saved vehicle', () => {
  it('snapshots the vehicle, links it, and keeps the trouble codes normalised and once each', async () => {
    const owner = await customer(t);
    const vehicle = await saveVehicle(owner);
    const body = await paidSessionBody(
      t,
      owner,
      fromGarage(vehicle.id, { troubleCodes: ['p0301', 'P0420 ', 'P0301'] }),
    );
    const created = await post(t, '/api/sessions', owner, body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      vehicleId: vehicle.id,
      troubleCodes: ['P0301', 'P0420'],
      vehicle: {
        year: 2003,
        make: 'Honda',
        model: 'Accord',
        vin: '1HGCM82633A004352',
        mileage: 182_000,
        trim: 'EX-V6',
        engine: '6 cylinders, J30A4',
        fuel: 'Gasoline',
      },
    });
    // Later edits of the saved vehicle do not rewrite the session; deleting it only unlinks.
    await patch(`/api/vehicles/${vehicle.id}`, owner, { mileage: 200_000 });
    await remove(`/api/vehicles/${vehicle.id}`, owner);
    const after = await get(t, `/api/sessions/${created.body.id}`, owner);
    expect(after.body).toMatchObject({ vehicleId: null, vehicle: { mileage: 182_000, model: 'Accord' } });
  });

  it('the database itself refuses malformed or too many codes, whatever path wrote them', async () => {
    const owner = await customer(t);
    const created = await pendingSession(t, owner, { troubleCodes: ['P0301'] });
    const write = (troubleCodes: string[]) =>
      t.database.db.update(sessions).set({ troubleCodes }).where(eq(sessions.id, created.id));
    await expect(write(['p0301'])).rejects.toThrow();
    await expect(write(['P0301', ''])).rejects.toThrow();
    await expect(write(Array.from({ length: 11 }, () => 'P0301'))).rejects.toThrow();
    await expect(write(['P0301', 'U0100'])).resolves.toBeDefined();
  });

  it('a session described in the intake has no vehicle link and no codes unless given', async () => {
    const owner = await customer(t);
    const created = await pendingSession(t, owner);
    const session = await get(t, `/api/sessions/${created.id}`, owner);
    expect(session.body).toMatchObject({ vehicleId: null, troubleCodes: [] });
  });

  it('someone else’s vehicle is refused as not in your garage', async () => {
    const owner = await customer(t);
    const theirs = await saveVehicle(await customer(t));
    const reply = await post(t, '/api/sessions', owner, await paidSessionBody(t, owner, fromGarage(theirs.id)));
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toEqual([{ path: 'body.vehicleId', message: 'No vehicle with this id in your garage' }]);
    const [row] = await t.database.db.select().from(sessions).where(eq(sessions.customerId, owner.id));
    expect(row).toBeUndefined();
  });

  it('needs exactly one of vehicle and vehicleId', async () => {
    const owner = await customer(t);
    const vehicle = await saveVehicle(owner);
    const both = await post(t, '/api/sessions', owner, sessionBody({ vehicleId: vehicle.id }));
    const neither = await post(t, '/api/sessions', owner, sessionBody({ vehicle: undefined }));
    for (const reply of [both, neither]) {
      expect(reply.status).toBe(400);
      expect(reply.body.errors).toContainEqual({
        path: 'body.vehicle',
        message: expect.stringContaining('one of the two'),
      });
    }
  });

  it('refuses more than ten codes, and names a malformed one', async () => {
    const owner = await customer(t);
    const eleven = Array.from({ length: 11 }, (_, i) => `P03${String(i).padStart(2, '0')}`);
    const many = await post(t, '/api/sessions', owner, sessionBody({ troubleCodes: eleven }));
    expect(many.status).toBe(400);
    expect(many.body.errors).toContainEqual({ path: 'body.troubleCodes', message: 'Give at most 10 trouble codes' });
    const bad = await post(t, '/api/sessions', owner, sessionBody({ troubleCodes: ['P0301', 'P9999'] }));
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toContainEqual({
      path: 'body.troubleCodes.1',
      message: expect.stringContaining('for example P0301'),
    });
  });

  it('an idempotent retry compares the vehicle and the codes too', async () => {
    const owner = await customer(t);
    const vehicle = await saveVehicle(owner);
    const key = { 'idempotency-key': `garage-${vehicle.id}` };
    const body = await paidSessionBody(t, owner, fromGarage(vehicle.id, { troubleCodes: ['P0171'] }));
    const first = await call(t, 'POST', '/api/sessions', { as: owner, body, headers: key });
    expect(first.status).toBe(201);
    const retry = await call(t, 'POST', '/api/sessions', { as: owner, body, headers: key });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    // The same codes typed differently are the same request.
    const typedAgain = { ...body, troubleCodes: ['p0171'] };
    expect((await call(t, 'POST', '/api/sessions', { as: owner, body: typedAgain, headers: key })).status).toBe(200);
    const otherCodes = { ...body, troubleCodes: ['P0174'] };
    const mismatch = await call(t, 'POST', '/api/sessions', { as: owner, body: otherCodes, headers: key });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.code).toBe('IDEMPOTENCY_MISMATCH');
    const inline = await call(t, 'POST', '/api/sessions', {
      as: owner,
      body: { ...body, vehicleId: undefined, vehicle: { year: 2003, make: 'Honda', model: 'Accord' } },
      headers: key,
    });
    expect(inline.status).toBe(422);
  });
});

describe('a vehicle’s service history', () => {
  const report = (extra: Record<string, unknown> = {}) => ({
    summary: 'Misfire on cylinder 1 from a worn plug',
    findings: 'Freeze frame shows misfire under load; plug 1 is worn and carbon fouled.',
    troubleCodes: ['P0301', 'p0171'],
    recommendations: [
      { title: 'Replace spark plugs', urgency: 'soon', estimatedCostMinCents: 12_000, estimatedCostMaxCents: 20_000 },
      { title: 'Smoke-test the intake for leaks', urgency: 'info' },
    ],
    followUp: 'repair_quote',
    submit: true,
    ...extra,
  });

  it('shows sessions newest first with their reports, codes and open recommendations — to the owner, the mechanic of a session and admins only', async () => {
    const owner = await customer(t);
    const vehicle = await saveVehicle(owner);
    const otherVehicle = await saveVehicle(owner, { year: 2016, make: 'Toyota', model: 'Corolla' });
    const m = await mechanic(t);

    const first = await liveSession(t, owner, m, fromGarage(vehicle.id, { troubleCodes: ['P0301', 'P0420'] }));
    const saved = await put(t, `/api/sessions/${first.id}/report`, m, report());
    expect(saved.status).toBe(200);
    // No severity given: the worst hint of the report's codes (P0301, a misfire: urgent).
    expect(saved.body).toMatchObject({ severity: 'urgent', troubleCodes: ['P0301', 'P0171'] });
    expect((await post(t, `/api/sessions/${first.id}/end`, owner)).body.session.status).toBe('completed');

    t.clock.advanceSeconds(3600);
    const second = await pendingSession(t, owner, fromGarage(vehicle.id, { troubleCodes: ['P0455'] }));

    const history = await get(t, `/api/vehicles/${vehicle.id}/history`, owner);
    expect(history.status).toBe(200);
    expect(history.body.vehicle).toMatchObject({ id: vehicle.id, model: 'Accord' });
    expect(history.body.sessions.map((s: { session: { id: string } }) => s.session.id)).toEqual([second.id, first.id]);
    const [newest, oldest] = history.body.sessions;
    expect(newest.report).toBeNull();
    expect(newest.codes).toEqual([
      expect.objectContaining({ code: 'P0455', severityHint: 'info', known: true, seenIn: ['intake'] }),
    ]);
    expect(oldest.report).toMatchObject({ status: 'submitted', severity: 'urgent', mechanicId: m.id });
    expect(oldest.codes).toEqual([
      expect.objectContaining({
        code: 'P0301',
        description: 'Cylinder 1 Misfire Detected',
        seenIn: ['intake', 'report'],
      }),
      expect.objectContaining({ code: 'P0420', seenIn: ['intake'] }),
      expect.objectContaining({ code: 'P0171', description: 'System Too Lean (Bank 1)', seenIn: ['report'] }),
    ]);
    expect(history.body.openRecommendations).toEqual([
      {
        sessionId: first.id,
        title: 'Replace spark plugs',
        urgency: 'soon',
        estimatedCostMinCents: 12_000,
        estimatedCostMaxCents: 20_000,
        reportedAt: saved.body.submittedAt,
        open: true,
      },
      {
        sessionId: first.id,
        title: 'Smoke-test the intake for leaks',
        urgency: 'info',
        reportedAt: saved.body.submittedAt,
        open: true,
      },
    ]);

    // The mechanic of one of its sessions sees the whole history, later sessions included…
    const mechanicsView = await get(t, `/api/vehicles/${vehicle.id}/history`, m);
    expect(mechanicsView.status).toBe(200);
    expect(mechanicsView.body.sessions).toHaveLength(2);
    // …and nothing else of the customer's garage.
    expect((await get(t, `/api/vehicles/${otherVehicle.id}/history`, m)).status).toBe(404);
    expect((await get(t, `/api/vehicles/${vehicle.id}`, m)).status).toBe(404);

    expect((await get(t, `/api/vehicles/${vehicle.id}/history`, boss)).status).toBe(200);
    expect((await get(t, `/api/vehicles/${vehicle.id}/history`, await mechanic(t))).status).toBe(404);
    expect((await get(t, `/api/vehicles/${vehicle.id}/history`, await customer(t))).status).toBe(404);
    expect((await get(t, `/api/vehicles/${crypto.randomUUID()}/history`, owner)).status).toBe(404);
  });

  it('a draft report stays out of the history', async () => {
    const owner = await customer(t);
    const vehicle = await saveVehicle(owner);
    const m = await mechanic(t);
    const session = await liveSession(t, owner, m, fromGarage(vehicle.id));
    expect((await put(t, `/api/sessions/${session.id}/report`, m, report({ submit: false }))).status).toBe(200);
    const history = await get(t, `/api/vehicles/${vehicle.id}/history`, owner);
    expect(history.body.sessions[0]).toMatchObject({ report: null, codes: [] });
    expect(history.body.openRecommendations).toEqual([]);
  });

  it('a report’s severity defaults from the intake’s codes, the mechanic’s choice wins, and without codes it must be given', async () => {
    const owner = await customer(t);
    const m = await mechanic(t);
    const session = await liveSession(t, owner, m, { troubleCodes: ['P0524'] });
    const fromIntake = await put(
      t,
      `/api/sessions/${session.id}/report`,
      m,
      report({ troubleCodes: undefined, submit: false }),
    );
    expect(fromIntake.body).toMatchObject({ severity: 'unsafe_to_drive', troubleCodes: [] });
    const chosen = await put(t, `/api/sessions/${session.id}/report`, m, report({ severity: 'info', submit: false }));
    expect(chosen.body.severity).toBe('info');

    const other = await customer(t);
    const m2 = await mechanic(t);
    const bare = await liveSession(t, other, m2);
    const none = await put(t, `/api/sessions/${bare.id}/report`, m2, report({ troubleCodes: [], submit: false }));
    expect(none.status).toBe(400);
    expect(none.body.errors).toEqual([
      { path: 'body.severity', message: 'is required when no trouble codes are given' },
    ]);
    const tooMany = await put(
      t,
      `/api/sessions/${bare.id}/report`,
      m2,
      report({ troubleCodes: Array.from({ length: 11 }, (_, i) => `P03${String(i).padStart(2, '0')}`) }),
    );
    expect(tooMany.status).toBe(400);
  });
});
