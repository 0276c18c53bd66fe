import { describe, expect, it } from 'vitest';
import { findTextProblems, MAX_DEPTH } from './text-guard.js';

describe('text guard', () => {
  it('accepts ordinary text, emoji (surrogate pairs) and accents', () => {
    expect(findTextProblems({ a: 'Grinding noise 🚗 — café', b: ['x', { c: 'y' }] }, 'body')).toEqual([]);
  });
  it('names each string with a NUL or a lone surrogate by its path', () => {
    const problems = findTextProblems(
      { concern: 'bad\u0000', vehicle: { make: '\uD800x' }, list: ['ok', '\uDC00'] },
      'body',
    );
    expect(problems.map((p) => p.path)).toEqual(['body.concern', 'body.vehicle.make', 'body.list.1']);
  });
  it('refuses bad field names and nesting past the limit', () => {
    expect(findTextProblems({ 'a\u0000': 1 }, 'body')[0]!.path).toBe('body');
    let deep: unknown = 'leaf';
    for (let i = 0; i < MAX_DEPTH + 5; i++) deep = [deep];
    expect(findTextProblems(deep, 'data')[0]!.message).toMatch(/nested/);
  });
});
