import { useEffect, useState } from 'react';
import { vehicles, type VinDecode } from '../../shared/contract';
import { ApiError, call } from './api';
import { serverSentence } from './form-errors';
import { VEHICLE } from './form-words';

/*
 * `GET /api/vin/:vin`, asked once per VIN per page load: a VIN always decodes the same way, and
 * the intake, the garage and the mechanic's screens may all ask about the same car.
 */
const asked = new Map<string, Promise<VinDecode>>();

export function decodeVin(vin: string): Promise<VinDecode> {
  let answer = asked.get(vin);
  if (!answer) {
    answer = call(vehicles.decodeVin, { params: { vin } });
    asked.set(vin, answer);
    // A refused VIN stays refused; anything else (busy, offline) is asked again next time.
    answer.catch((error: unknown) => {
      if (!(error instanceof ApiError && error.code === 'VALIDATION_FAILED')) asked.delete(vin);
    });
  }
  return answer;
}

/** The server's reason a VIN was refused, or a sentence for a look-up that did not go through. */
export function vinDecodeProblem(error: unknown): { refused: boolean; message: string } {
  if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') {
    return { refused: true, message: serverSentence(VEHICLE.fields.vin, error.field('params.vin') ?? '') };
  }
  return {
    refused: false,
    message: 'The VIN could not be looked up just now. Enter the year, make and model yourself.',
  };
}

/** What the VIN decode adds to a vehicle that has a VIN but no details (null until known, or when none). */
export function useVinDetails(vin: string | null | undefined, wanted: boolean): VinDecode | null {
  const [decoded, setDecoded] = useState<VinDecode | null>(null);
  useEffect(() => {
    if (!wanted || !vin) return;
    let current = true;
    decodeVin(vin).then(
      (answer) => current && setDecoded(answer),
      () => undefined, // the summary shows what the session holds; the details are a nicety
    );
    return () => {
      current = false;
    };
  }, [vin, wanted]);
  return wanted && decoded?.vin === vin ? decoded : null;
}
