import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Resolves a host name to every address it has (injected in tests; the system resolver otherwise). */
export type Resolver = (hostname: string) => Promise<string[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Why tradehook must not connect to `address`, or undefined when it may: only public unicast addresses
 * pass (ipaddr.js's ranges; an IPv4-mapped IPv6 address is judged as the IPv4 address it carries), so
 * loopback, private, link-local (169.254.169.254, the cloud metadata service), CGNAT, multicast, reserved,
 * IPv6 unique-local and every other special range are refused. Loopback passes when `allowLoopback` is set
 * (`ALLOW_INSECURE_WEBHOOK_URLS`, development and tests).
 */
export function addressProblem(address: string, allowLoopback: boolean): string | undefined {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range === 'loopback' && allowLoopback) return undefined;
  if (range !== 'unicast') return `${address} is ${range}`;
  // ipaddr.js calls every IPv6 address outside its special ranges unicast, the deprecated IPv4-compatible
  // ::/96 (::7f00:1 is ::127.0.0.1) included; only 2000::/3 is global unicast.
  if (parsed.kind() === 'ipv6' && !parsed.match(IPV6_GLOBAL_UNICAST))
    return `${address} is not global unicast`;
  return undefined;
}

const IPV6_GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

function isLoopbackHost(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || (isIP(bare) !== 0 && ipaddr.process(bare).range() === 'loopback');
}

/**
 * Why `url` cannot be a subscription's url, or undefined: https only (http only to loopback with
 * `allowInsecure`), at most 2048 characters, no credentials in it, and an IP address in it must be public.
 * Host names are checked again at every connection ({@link addressProblem}), where it counts.
 */
export function urlProblem(url: string, allowInsecure: boolean): string | undefined {
  if (url.length > 2048) return 'must be at most 2048 characters';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute https:// URL';
  }
  if (parsed.username || parsed.password) return 'must not hold credentials';
  const insecureOk = allowInsecure && isLoopbackHost(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && insecureOk))
    return allowInsecure ? 'must be https (http only to loopback)' : 'must be https';
  const bare = parsed.hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare) !== 0) {
    const problem = addressProblem(bare, allowInsecure);
    if (problem) return `must not point to a non-public address (${problem})`;
  }
  if (bare === 'localhost' && !allowInsecure) return 'must not point to a non-public address (localhost)';
  return undefined;
}

/** The address to connect to for `hostname`: every address it resolves to must pass, else an error saying which failed. */
export async function resolveAllowed(
  hostname: string,
  resolver: Resolver,
  allowLoopback: boolean,
): Promise<string> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(bare) !== 0 ? [bare] : await resolver(bare);
  if (addresses.length === 0) throw new AddressRefusedError(`${bare} resolves to no address`);
  for (const address of addresses) {
    const problem = addressProblem(address, allowLoopback);
    // All must pass, not one: a name answering a public and a private address is an attack, not a fallback.
    if (problem) throw new AddressRefusedError(`address refused: ${bare} → ${problem}`);
  }
  return addresses[0];
}

/** A connection tradehook refused to make (the SSRF guard); never retried sooner than the schedule says. */
export class AddressRefusedError extends Error {
  readonly code = 'address_refused';
  constructor(message: string) {
    super(message);
    this.name = 'AddressRefusedError';
  }
}
