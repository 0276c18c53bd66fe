import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { describeTroubleCode, lookupTroubleCode, worstSeverityHint } from './lookup-trouble-code.js';

describe('describeTroubleCode', () => {
  it('gives a generic code of the table its standard description, causes and hint', () => {
    expect(describeTroubleCode('p0301')).toEqual({
      code: 'P0301',
      system: 'powertrain',
      generic: true,
      known: true,
      group: 'ignition and misfire',
      description: 'Cylinder 1 Misfire Detected',
      commonCauses: expect.arrayContaining(['Worn or fouled spark plug']),
      severityHint: 'urgent',
    });
  });

  it('leaves commonCauses out when the table has none', () => {
    expect(describeTroubleCode('P0013')).not.toHaveProperty('commonCauses');
  });

  it('says a manufacturer-specific code is one, with its system', () => {
    expect(describeTroubleCode('P1234')).toMatchObject({
      code: 'P1234',
      system: 'powertrain',
      generic: false,
      known: false,
      description: expect.stringMatching(/^Manufacturer-specific powertrain code/),
      severityHint: 'soon',
    });
    expect(describeTroubleCode('C1234')).toMatchObject({
      system: 'chassis',
      generic: false,
      description: expect.stringMatching(/^Manufacturer-specific chassis code/),
    });
    expect(describeTroubleCode('B1001')?.description).toMatch(/^Manufacturer-specific body code/);
  });

  it('says a generic code outside the table is generic, without inventing a meaning', () => {
    expect(describeTroubleCode('U0100')).toMatchObject({
      code: 'U0100',
      system: 'network',
      generic: true,
      known: false,
      group: 'network communication',
      description: expect.stringMatching(/^Generic network code .*not in our table/),
    });
  });

  it('names reserved ranges as reserved', () => {
    expect(describeTroubleCode('C3000')).toMatchObject({
      generic: false,
      description: expect.stringMatching(/^Reserved/),
    });
  });

  it('is null for anything that is not a trouble code', () => {
    for (const input of ['P4000', 'X0100', 'P030', 'P03011', 'P030G', '', 'P 0301']) {
      expect(describeTroubleCode(input), input).toBeNull();
    }
  });
});

describe('lookupTroubleCode', () => {
  it('refuses a malformed code with what a code looks like', () => {
    const refusal = (() => {
      try {
        lookupTroubleCode('P9999');
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('for example P0301'),
      errors: [{ path: 'params.code', message: expect.stringContaining('P, C, B or U') }],
    });
  });
});

describe('worstSeverityHint', () => {
  it('takes the most serious hint of the codes', () => {
    expect(worstSeverityHint(['P0442', 'P0420'])).toBe('soon');
    expect(worstSeverityHint(['P0442', 'P0301', 'P0420'])).toBe('urgent');
    expect(worstSeverityHint(['P0442', 'P0524'])).toBe('unsafe_to_drive');
  });
  it('counts an unknown code as worth a check soon, and has nothing to say about no codes', () => {
    expect(worstSeverityHint(['P0442', 'P1234'])).toBe('soon');
    expect(worstSeverityHint([])).toBeUndefined();
  });
});
