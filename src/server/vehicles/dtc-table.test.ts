import { describe, expect, it } from 'vitest';
import { SEVERITIES } from '../../shared/domain.js';
import { DTC_SYSTEMS, GENERIC_DTC_ROWS, GENERIC_DTCS, describeCodeStructure, findGenericDtc } from './dtc-table.js';

// prettier-ignore
const MOST_COMMON = [
  'P0300', 'P0301', 'P0302', 'P0303', 'P0304', 'P0305', 'P0306', 'P0307', 'P0308',
  'P0171', 'P0174', 'P0420', 'P0430', 'P0442', 'P0455', 'P0456', 'P0128', 'P0401', 'P0440', 'P0446',
  'P0500', 'P0505', 'P0700', 'P0101', 'P0102', 'P0113', 'P0117', 'P0118', 'P0121', 'P0131', 'P0133',
  'P0135', 'P0141', 'P0155', 'P0172', 'P0175', 'P0325', 'P0335', 'P0340', 'P0351', 'P0411', 'P0441',
  'P0449', 'P0457', 'P0562', 'P0600', 'P0606', 'P0715', 'P0741', 'P0750', 'P2096', 'P2097', 'P2135',
  'P2138', 'P2195', 'P2270', 'P0011', 'P0016', 'P0030', 'P0036', 'P0087', 'P0089', 'P0299', 'P0234',
  'P0521', 'P0520',
];

describe('generic DTC table', () => {
  it('has at least 300 entries, one per row', () => {
    expect(GENERIC_DTC_ROWS.length).toBeGreaterThanOrEqual(300);
    expect(GENERIC_DTCS.size).toBe(GENERIC_DTC_ROWS.length);
  });

  it('lists each code once', () => {
    const seen = new Set<string>();
    const duplicates = GENERIC_DTC_ROWS.map(([code]) => code).filter((code) => seen.size === seen.add(code).size);
    expect(duplicates).toEqual([]);
  });

  it('holds only well-formed generic P0xxx / P2xxx codes, keyed by their own code', () => {
    for (const [key, entry] of GENERIC_DTCS) {
      expect(key).toMatch(/^P[02][0-9A-F]{3}$/);
      expect(entry.code).toBe(key);
      expect(describeCodeStructure(key)).toMatchObject({ system: 'powertrain', generic: true });
    }
  });

  it('uses the standard SAE J2012 descriptions', () => {
    expect(GENERIC_DTCS.get('P0300')?.description).toBe('Random/Multiple Cylinder Misfire Detected');
    expect(GENERIC_DTCS.get('P0301')?.description).toBe('Cylinder 1 Misfire Detected');
    expect(GENERIC_DTCS.get('P0420')?.description).toBe('Catalyst System Efficiency Below Threshold (Bank 1)');
    expect(GENERIC_DTCS.get('P0171')?.description).toBe('System Too Lean (Bank 1)');
    for (const entry of GENERIC_DTCS.values()) {
      expect(entry.description.trim()).toBe(entry.description);
      expect(entry.description.length).toBeGreaterThan(3);
    }
  });

  it('keeps systems and severities within their sets', () => {
    for (const entry of GENERIC_DTCS.values()) {
      expect(DTC_SYSTEMS).toContain(entry.system);
      expect(SEVERITIES).toContain(entry.severity);
    }
  });

  it('gives conservative severity hints', () => {
    const severity = (code: string) => GENERIC_DTCS.get(code)?.severity;
    for (let cylinder = 0; cylinder <= 12; cylinder++) {
      expect(severity(`P03${String(cylinder).padStart(2, '0')}`)).toBe('urgent');
    }
    expect(severity('P0524')).toBe('unsafe_to_drive');
    expect(severity('P0217')).toBe('unsafe_to_drive');
    expect(severity('P0117')).toBe('urgent');
    expect(severity('P2135')).toBe('urgent');
    expect(severity('P0442')).toBe('info');
    expect(severity('P0455')).toBe('info');
    expect(severity('P0135')).toBe('soon');
    expect(severity('P0420')).toBe('soon');
    expect(severity('P0750')).toBe('urgent');
  });

  it('gives common causes for the most common codes', () => {
    for (const code of MOST_COMMON) {
      expect(GENERIC_DTCS.get(code)?.commonCauses, code).toBeDefined();
    }
    const withCauses = [...GENERIC_DTCS.values()].filter((entry) => entry.commonCauses);
    expect(withCauses.length).toBeGreaterThanOrEqual(60);
    for (const entry of withCauses) {
      expect(entry.commonCauses!.length, entry.code).toBeGreaterThanOrEqual(2);
      expect(entry.commonCauses!.length, entry.code).toBeLessThanOrEqual(4);
      for (const cause of entry.commonCauses!) expect(cause.trim().length).toBeGreaterThan(0);
    }
  });

  it('omits commonCauses rather than leaving it empty', () => {
    expect(GENERIC_DTCS.get('P0013')).not.toHaveProperty('commonCauses');
  });

  it('looks codes up case-insensitively', () => {
    expect(findGenericDtc(' p0420 ')?.code).toBe('P0420');
    expect(findGenericDtc('P1234')).toBeUndefined();
  });
});

describe('describeCodeStructure', () => {
  it('reads a generic powertrain code', () => {
    expect(describeCodeStructure('P0301')).toEqual({
      code: 'P0301',
      system: 'powertrain',
      generic: true,
      group: 'ignition system or misfire',
    });
  });

  it('normalises lower case', () => {
    expect(describeCodeStructure('p0420')).toEqual({
      code: 'P0420',
      system: 'powertrain',
      generic: true,
      group: 'auxiliary emission controls',
    });
  });

  it('tells manufacturer-specific powertrain codes apart', () => {
    expect(describeCodeStructure('P1234')).toMatchObject({ code: 'P1234', generic: false });
    expect(describeCodeStructure('P3000')?.generic).toBe(false);
    expect(describeCodeStructure('P3399')?.generic).toBe(false);
    expect(describeCodeStructure('P3400')?.generic).toBe(true);
    expect(describeCodeStructure('P3999')?.generic).toBe(true);
    expect(describeCodeStructure('P2135')?.generic).toBe(true);
  });

  it('labels the powertrain groups', () => {
    expect(describeCodeStructure('P0171')?.group).toBe('fuel and air metering');
    expect(describeCodeStructure('P0200')?.group).toBe('fuel and air metering');
    expect(describeCodeStructure('P0505')?.group).toBe('vehicle speed, idle control and auxiliary inputs');
    expect(describeCodeStructure('P0606')?.group).toBe('computer and output circuits');
    expect(describeCodeStructure('P0700')?.group).toBe('transmission');
    expect(describeCodeStructure('P0999')?.group).toBe('transmission');
    expect(describeCodeStructure('P0A80')?.group).toBe('hybrid propulsion');
    expect(describeCodeStructure('P2A00')?.group).toBe('hybrid propulsion');
  });

  it('reads chassis, body and network codes', () => {
    expect(describeCodeStructure('C1234')).toEqual({
      code: 'C1234',
      system: 'chassis',
      generic: false,
      group: 'chassis',
    });
    expect(describeCodeStructure('C0035')).toMatchObject({ system: 'chassis', generic: true });
    expect(describeCodeStructure('B0001')).toEqual({ code: 'B0001', system: 'body', generic: true, group: 'body' });
    expect(describeCodeStructure('B2AAA')).toMatchObject({ system: 'body', generic: false });
    expect(describeCodeStructure('U0100')).toEqual({
      code: 'U0100',
      system: 'network',
      generic: true,
      group: 'network communication',
    });
    expect(describeCodeStructure('U1000')).toMatchObject({ system: 'network', generic: false });
    expect(describeCodeStructure('U3000')).toMatchObject({ system: 'network', generic: true });
  });

  it('treats C3 and B3 as reserved', () => {
    expect(describeCodeStructure('C3000')).toMatchObject({ system: 'chassis', generic: false, group: 'reserved' });
    expect(describeCodeStructure('B3FFF')).toMatchObject({ system: 'body', generic: false, group: 'reserved' });
  });

  it('rejects malformed codes', () => {
    for (const code of ['P9999', 'P4000', 'X0100', 'P03', 'P03011', 'P030G', '', 'P 0301']) {
      expect(describeCodeStructure(code), code).toBeNull();
    }
  });
});
