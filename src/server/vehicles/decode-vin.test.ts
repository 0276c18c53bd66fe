import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { decodeVin, VIN_WARNINGS } from './decode-vin.js';
import { createVinDecoder, type VinDecoder } from './vin-decoder.js';

const log = pino({ level: 'silent' });
const opened: VinDecoder[] = [];
const files: string[] = [];
const decoderIn = (cacheDir: string, maxPending?: number) => {
  const decoder = createVinDecoder({ cacheDir, log, maxPending });
  opened.push(decoder);
  return decoder;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.close()));
  for (const file of files.splice(0)) fs.rmSync(file, { force: true });
});

/** A directory that cannot be created: its parent is a file. */
function unusableDir(): string {
  const file = path.join(os.tmpdir(), `autodoctor-not-a-dir-${crypto.randomBytes(4).toString('hex')}`);
  fs.writeFileSync(file, '');
  files.push(file);
  return path.join(file, 'vpic');
}

describe('decodeVin when the data set cannot help', () => {
  it('answers with what the VIN itself says, and a warning, when the data set cannot be unpacked', async () => {
    const answer = await decodeVin({ log }, decoderIn(unusableDir()), 'wba3a5c51cf256651');
    expect(answer).toMatchObject({
      vin: 'WBA3A5C51CF256651',
      valid: true,
      checkDigitOk: false,
      wmi: 'WBA',
      manufacturer: null,
      make: null,
      modelYear: null,
      source: 'vin_structure',
      known: [],
      warnings: [VIN_WARNINGS.checkDigit, VIN_WARNINGS.unavailable],
    });
  });

  it('refuses an invalid VIN before asking the data set', async () => {
    const decoder = decoderIn(unusableDir());
    await expect(decodeVin({ log }, decoder, '1HGCM82643A004352')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'params.vin', message: expect.stringContaining('check digit') }],
    });
    await expect(decodeVin({ log }, decoder, 'WBA3A5C5')).rejects.toBeInstanceOf(AppError);
  });

  it('a decoder with no room for another VIN says to try again (503), not that the VIN is wrong', async () => {
    await expect(decodeVin({ log }, decoderIn(unusableDir(), 0), '1HGCM82633A004352')).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
  });
});
