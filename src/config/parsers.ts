import { isIP } from 'node:net';
/** Small pure parsers for environment values; each throws an Error whose message names the problem. */

/** Splits a comma-separated list, trimming blanks and dropping empty entries. */
export function parseList(input: string): string[] {
  return input
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/** Parses `16kb`, `1mb`, `2048` or `2048b` into a number of bytes. */
export function parseBytes(input: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb)?\s*$/i.exec(input);
  if (!match) throw new Error(`expected a size such as 16kb or 1mb, got "${input}"`);
  const bytes = Math.floor(Number(match[1]) * BYTE_UNITS[(match[2] ?? 'b').toLowerCase()]);
  if (bytes < 1) throw new Error('must be at least 1 byte');
  return bytes;
}

/** Express's `trust proxy` setting: `false`, `true`, a hop count, or a list of trusted addresses/CIDRs. */
export type TrustProxy = boolean | number | string[];

export function parseTrustProxy(input: string): TrustProxy {
  const value = input.trim().toLowerCase();
  if (value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = parseList(input);
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    const named = ['loopback', 'linklocal', 'uniquelocal'].includes(entry);
    if (!named && (isIP(address) === 0 || (bits !== undefined && !/^\d+$/.test(bits)))) {
      throw new Error(`expected false, true, a hop count or IPs/CIDRs, got "${entry}"`);
    }
  }
  return entries;
}

/** Parses `USDT:10000,BTC:0.5` into `{ USDT: 10000, BTC: 0.5 }`. */
export function parseBalances(input: string): Record<string, number> {
  const balances: Record<string, number> = {};
  for (const entry of parseList(input)) {
    const [asset, amount, extra] = entry.split(':').map((s) => s.trim());
    const value = Number(amount);
    if (
      !asset ||
      amount === undefined ||
      amount === '' ||
      extra !== undefined ||
      !Number.isFinite(value) ||
      value < 0
    ) {
      throw new Error(`expected ASSET:AMOUNT pairs such as USDT:10000, got "${entry}"`);
    }
    balances[asset.toUpperCase()] = value;
  }
  return balances;
}
