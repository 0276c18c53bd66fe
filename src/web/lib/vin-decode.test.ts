import { describe, expect, it } from 'vitest';
import { VIN_MESSAGES } from '../../shared/vin';
import { ApiError } from './api';
import { VEHICLE } from './form-words';
import { vinDecodeProblem } from './vin-decode';

describe('a VIN the look-up refused', () => {
  it('is said in the VIN field’s words, never as the server’s detail', () => {
    const refused = (fields: { path: string; message: string }[]) =>
      vinDecodeProblem(new ApiError(400, 'VALIDATION_FAILED', 'The params are not valid', fields));
    expect(refused([{ path: 'params.vin', message: VIN_MESSAGES.check_digit }])).toEqual({
      refused: true,
      message: `${VIN_MESSAGES.check_digit}.`,
    });
    expect(refused([{ path: 'params.vin', message: 'Too big: expected string to have <=40 characters' }])).toEqual({
      refused: true,
      message: VEHICLE.fields.vin.otherwise,
    });
    expect(refused([])).toEqual({ refused: true, message: VEHICLE.fields.vin.otherwise });
  });

  it('that could not be looked up says so, and how to go on', () => {
    expect(vinDecodeProblem(new ApiError(503, 'SERVICE_UNAVAILABLE', 'x')).message).toMatch(/yourself\.$/);
  });
});
