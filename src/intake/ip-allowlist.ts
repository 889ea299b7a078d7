import { BlockList, isIP } from 'node:net';

/** The addresses TradingView sends webhooks from (https://www.tradingview.com/support/solutions/43000529348). */
export const TRADINGVIEW_IPS = ['52.89.214.238', '34.212.75.30', '54.218.53.128', '52.32.178.7'];

/**
 * Builds a predicate from `IP_ALLOWLIST` entries (IPs, CIDRs, or `tradingview`). An empty list allows all.
 * IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`, as Node reports IPv4 clients on dual-stack sockets) are
 * matched as IPv4.
 */
export function makeIpAllowlist(entries: string[]): (ip: string | undefined) => boolean {
  if (entries.length === 0) return () => true;
  const list = new BlockList();
  for (const entry of entries) {
    if (entry.toLowerCase() === 'tradingview') {
      for (const ip of TRADINGVIEW_IPS) list.addAddress(ip, 'ipv4');
      continue;
    }
    const [address, bits] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return (ip) => {
    if (!ip) return false;
    const v4 = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
    const family = isIP(v4);
    if (family === 0) return false;
    return list.check(v4, family === 4 ? 'ipv4' : 'ipv6');
  };
}
