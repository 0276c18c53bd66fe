import dns from 'node:dns';
import net from 'node:net';
import { nonPublicReason } from './address-policy.js';

/*
 * Where a webhook URL leads, checked twice: when an admin registers it (a clear 400), and at every
 * delivery, inside the connection's own DNS lookup — DNS can change after registration, and a
 * check that resolved separately from the connection could be answered differently the second
 * time (DNS rebinding). Checking the very addresses the socket connects to closes that gap.
 */

/** The URL's host leads somewhere webhooks may not go. */
export class RefusedAddressError extends Error {
  override name = 'RefusedAddressError';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(
      host === address ? `${address} is a ${reason} address` : `${host} resolves to ${address}, a ${reason} address`,
    );
  }
}

/** The host of a URL as DNS and sockets want it: IPv6 literals without their brackets. */
export const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

export type Resolve = (host: string) => Promise<{ address: string; family: number }[]>;

const resolveAll: Resolve = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

/**
 * Throws RefusedAddressError when the URL's host is, or resolves to (any of its addresses), a
 * private, loopback, link-local, unique-local, CGNAT, multicast or unspecified address. A host
 * that does not resolve throws the resolver's error (ENOTFOUND).
 */
export async function assertPublicTarget(url: URL, resolve: Resolve = resolveAll): Promise<void> {
  const host = hostOf(url);
  if (net.isIP(host)) {
    const reason = nonPublicReason(host);
    if (reason) throw new RefusedAddressError(host, host, reason);
    return;
  }
  for (const { address } of await resolve(host)) {
    const reason = nonPublicReason(address);
    if (reason) throw new RefusedAddressError(host, address, reason);
  }
}

/**
 * A `lookup` for http.request that refuses non-public addresses: the connection is made only to
 * an address that was checked. (IP literals skip lookup altogether: check those beforehand.)
 */
export const publicOnlyLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    for (const { address } of addresses) {
      const reason = nonPublicReason(address);
      if (reason) return callback(new RefusedAddressError(hostname, address, reason), '', 0);
    }
    if (options.all) return callback(null, addresses);
    const [first] = addresses;
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
    callback(null, first.address, first.family);
  });
};
