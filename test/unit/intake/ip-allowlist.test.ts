import { TRADINGVIEW_IPS, makeIpAllowlist } from '../../../src/intake/ip-allowlist';

const TRADINGVIEW = ['52.89.214.238', '34.212.75.30', '54.218.53.128', '52.32.178.7'];

describe('TRADINGVIEW_IPS', () => {
  it('when read, then it is exactly the four addresses TradingView sends from', () => {
    expect([...TRADINGVIEW_IPS].sort()).toEqual([...TRADINGVIEW].sort());
  });
});

describe('makeIpAllowlist', () => {
  describe('an empty list', () => {
    it.each(['1.2.3.4', '::1', '52.89.214.238', undefined, 'garbage'])(
      'when the client is %p, then it is allowed (empty = all)',
      (ip) => {
        expect(makeIpAllowlist([])(ip)).toBe(true);
      },
    );
  });

  describe('single addresses and CIDRs', () => {
    const allowed = makeIpAllowlist(['203.0.113.7', '10.0.0.0/8', '192.168.1.0/24', '2001:db8::/32', '::1']);

    it.each([
      ['the listed IPv4 address', '203.0.113.7'],
      ['the first address of a /8', '10.0.0.0'],
      ['the last address of a /8', '10.255.255.255'],
      ['an address inside a /24', '192.168.1.200'],
      ['an address inside an IPv6 /32', '2001:db8:1234::5'],
      ['the listed IPv6 address', '::1'],
      ['a listed IPv4 address mapped into IPv6', '::ffff:203.0.113.7'],
      ['an IPv4-mapped address inside a CIDR', '::ffff:10.20.30.40'],
      ['an upper-case IPv4-mapped address', '::FFFF:203.0.113.7'],
    ])('when the client is %s (%s), then it is allowed', (_name, ip) => {
      expect(allowed(ip)).toBe(true);
    });

    it.each([
      ['a neighbour of the listed address', '203.0.113.8'],
      ['the address just above a /8', '11.0.0.0'],
      ['an address just outside a /24', '192.168.2.1'],
      ['an address outside the IPv6 /32', '2001:db9::1'],
      ['another IPv6 loopback neighbour', '::2'],
      ['an unlisted IPv4-mapped address', '::ffff:8.8.8.8'],
      ['undefined (no client address)', undefined],
      ['an empty string', ''],
      ['garbage', 'not-an-ip'],
      ['five octets', '10.1.2.3.4'],
      ['an address with blanks', ' 203.0.113.7'],
      ['a CIDR instead of an address', '10.0.0.0/8'],
    ])('when the client is %s (%p), then it is refused', (_name, ip) => {
      expect(allowed(ip)).toBe(false);
    });
  });

  describe('the tradingview preset', () => {
    it.each(TRADINGVIEW)('when the client is TradingView at %s, then it is allowed', (ip) => {
      expect(makeIpAllowlist(['tradingview'])(ip)).toBe(true);
    });

    it.each(TRADINGVIEW.map((ip) => `::ffff:${ip}`))(
      'when TradingView arrives as %s, then it is allowed',
      (ip) => {
        expect(makeIpAllowlist(['tradingview'])(ip)).toBe(true);
      },
    );

    it.each(['52.89.214.237', '52.89.214.239', '34.212.75.31', '54.218.53.127', '52.32.178.8', '127.0.0.1'])(
      'when the client is %s (not one of the four), then it is refused',
      (ip) => {
        expect(makeIpAllowlist(['tradingview'])(ip)).toBe(false);
      },
    );

    it.each(['TradingView', 'TRADINGVIEW'])(
      'when the preset is spelled %s, then it still means the four addresses',
      (word) => {
        const allowed = makeIpAllowlist([word]);
        expect(TRADINGVIEW.every((ip) => allowed(ip))).toBe(true);
        expect(allowed('8.8.8.8')).toBe(false);
      },
    );

    it('when the preset is combined with another entry, then both are allowed and nothing else', () => {
      const allowed = makeIpAllowlist(['tradingview', '198.51.100.0/24']);
      expect(allowed('52.32.178.7')).toBe(true);
      expect(allowed('198.51.100.42')).toBe(true);
      expect(allowed('198.51.101.42')).toBe(false);
    });
  });
});
