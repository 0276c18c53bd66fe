import { describe, expect, it } from 'vitest';
import { assertPublicTarget, hostOf, RefusedAddressError } from './url-guard.js';

const resolvesTo =
  (...addresses: string[]) =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('where a webhook URL leads', () => {
  it('a host is refused when any one of its addresses is not public', async () => {
    const url = new URL('https://hooks.example.com/in');
    await expect(assertPublicTarget(url, resolvesTo('93.184.215.14', '10.1.2.3'))).rejects.toThrow(
      new RefusedAddressError('hooks.example.com', '10.1.2.3', 'private'),
    );
    await expect(assertPublicTarget(url, resolvesTo('2606:4700::1', 'fe80::1'))).rejects.toThrow(
      'hooks.example.com resolves to fe80::1, a link-local address',
    );
  });

  it('a host whose every address is public passes', async () => {
    const url = new URL('https://hooks.example.com/in');
    await expect(assertPublicTarget(url, resolvesTo('93.184.215.14', '2606:4700::1'))).resolves.toBeUndefined();
  });

  it('an address in the URL is judged without asking DNS', async () => {
    const never = async () => {
      throw new Error('DNS was asked');
    };
    await expect(assertPublicTarget(new URL('http://[::ffff:169.254.169.254]/'), never)).rejects.toThrow(
      '::ffff:a9fe:a9fe is a link-local address',
    );
    await expect(assertPublicTarget(new URL('https://8.8.8.8/'), never)).resolves.toBeUndefined();
    expect(hostOf(new URL('http://[::1]:8080/'))).toBe('::1');
  });

  it('a resolver failure is passed on, not taken for a public host', async () => {
    const missing = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    await expect(assertPublicTarget(new URL('https://nowhere.invalid/'), missing)).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
  });
});
