import net from 'node:net';

/*
 * Which addresses a webhook may be sent to (notifications.md §6): never one that reaches inside
 * our own network or machine — an admin's typo or a hostile integrator must not turn the delivery
 * worker into a proxy to the metadata service (169.254.169.254), the database or a local admin
 * port. Pure: the DNS side is in url-guard.ts.
 */

type Range = { bytes: number[]; bits: number; what: string };

const v4 = (cidr: string, what: string): Range => {
  const [address, bits] = cidr.split('/');
  return { bytes: address!.split('.').map(Number), bits: Number(bits), what };
};

/** IPv4 ranges that are not the public internet (RFC 6890 and friends). */
const PRIVATE_V4: Range[] = [
  v4('0.0.0.0/8', 'unspecified'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'carrier-grade NAT'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'IETF protocol assignments'),
  v4('192.0.2.0/24', 'documentation'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'benchmarking'),
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  v4('224.0.0.0/4', 'multicast'),
  v4('240.0.0.0/4', 'reserved'),
];

const v6 = (prefix: number[], bits: number, what: string): Range => ({ bytes: prefix, bits, what });

/** IPv6 ranges that are not the public internet; those embedding an IPv4 address are handled apart. */
const PRIVATE_V6: Range[] = [
  v6([0xfc], 7, 'unique-local'),
  v6([0xfe, 0x80], 10, 'link-local'),
  v6([0xfe, 0xc0], 10, 'site-local'),
  v6([0xff], 8, 'multicast'),
  v6([0x20, 0x01, 0x0d, 0xb8], 32, 'documentation'),
  // Teredo tunnels an IPv4 address we would have to decode (obfuscated) to judge: refused whole.
  v6([0x20, 0x01, 0x00, 0x00], 32, 'Teredo tunnel'),
  v6([0x01, 0x00, 0, 0, 0, 0, 0, 0], 64, 'discard-only'),
];

function inRange(bytes: number[], range: Range): boolean {
  let bits = range.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((range.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** The 16 bytes of an IPv6 address (zone id dropped), or null when it is not one. */
export function ipv6Bytes(text: string): number[] | null {
  const address = text.replace(/%.*$/, '');
  if (!net.isIPv6(address)) return null;
  let head = address;
  let tail: number[] = [];
  // An IPv4 address written at the end (::ffff:127.0.0.1) is its last four bytes.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) {
    tail = dotted[1]!.split('.').map(Number);
    head = address.slice(0, -dotted[1]!.length);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const [left, right] = head.includes('::') ? head.split('::') : [head, undefined];
  const before = groups(left!);
  const after = right === undefined ? [] : groups(right);
  const missing = 8 - tail.length / 2 - before.length - after.length;
  const words = [...before, ...Array<number>(right === undefined ? 0 : missing).fill(0), ...after];
  return [...words.flatMap((w) => [w >> 8, w & 0xff]), ...tail];
}

/**
 * Why `address` (an IPv4 or IPv6 literal) is not a public internet address — "loopback",
 * "private", "link-local"… — or null when it is one. Anything that is not an address at all is
 * refused too: the caller asked about something it should not send to.
 */
export function nonPublicReason(address: string): string | null {
  if (net.isIPv4(address)) {
    const bytes = address.split('.').map(Number);
    return PRIVATE_V4.find((range) => inRange(bytes, range))?.what ?? null;
  }
  const bytes = ipv6Bytes(address);
  if (!bytes) return 'not an IP address';
  if (bytes.every((b) => b === 0)) return 'unspecified';
  if (bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1) return 'loopback';
  const embedded = embeddedIPv4(bytes);
  if (embedded) return nonPublicReason(embedded);
  return PRIVATE_V6.find((range) => inRange(bytes, range))?.what ?? null;
}

/**
 * The IPv4 address an IPv6 one carries, where the network would deliver it to that IPv4 address:
 * IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d, deprecated), NAT64 (64:ff9b::/96)
 * and 6to4 (2002:a.b.c.d::/48).
 */
function embeddedIPv4(bytes: number[]): string | null {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const last4 = bytes.slice(12, 16).join('.');
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return last4;
  if (zeros(0, 12)) return last4;
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12)) return last4;
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return bytes.slice(2, 6).join('.');
  return null;
}

export const isPublicAddress = (address: string): boolean => nonPublicReason(address) === null;
