import {
  digestsEqual,
  generateApiKey,
  isWellFormedApiKey,
  secretsEqual,
  sha256Hex,
} from '../../../src/keys/key-material';
import { parseExpiry } from '../../../src/keys/keys-cli';
import { ROLES, roleAtLeast } from '../../../src/keys/roles';

describe('key material', () => {
  it('when keys are generated, then each is th_ and 256 random bits, well formed, and never repeats', () => {
    const keys = Array.from({ length: 100 }, generateApiKey);
    for (const key of keys) {
      expect(key).toMatch(/^th_[A-Za-z0-9_-]{43}$/);
      expect(isWellFormedApiKey(key)).toBe(true);
    }
    expect(new Set(keys).size).toBe(100);
  });

  it.each([
    '',
    'th_',
    `th_${'a'.repeat(31)}`,
    `tk_${'a'.repeat(43)}`,
    `th_${'a'.repeat(257)}`,
    `th_${'a'.repeat(42)}=`,
  ])('when %j is presented, then it is not a key shape (and is never hashed)', (value) => {
    expect(isWellFormedApiKey(value)).toBe(false);
  });

  it('when digests are compared, then equal ones match and any other (or malformed) does not', () => {
    const a = sha256Hex('th_a');
    expect(digestsEqual(a, sha256Hex('th_a'))).toBe(true);
    expect(digestsEqual(a, sha256Hex('th_b'))).toBe(false);
    expect(digestsEqual(a, a.slice(0, 62))).toBe(false);
    expect(digestsEqual('zz', 'zz')).toBe(false);
    expect(secretsEqual('metrics', 'metrics')).toBe(true);
    expect(secretsEqual('metric', 'metrics')).toBe(false);
  });
});

describe('roles', () => {
  it('when roles are ranked, then admin ⊇ trader ⊇ viewer', () => {
    const table = ROLES.map((role) => ROLES.map((min) => (roleAtLeast(role, min) ? 1 : 0)).join(''));
    expect(table).toEqual(['100', '110', '111']);
  });
});

describe('CLI expiry', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');
  it.each([
    ['90d', now + 90 * 86_400_000],
    ['12h', now + 12 * 3_600_000],
    ['30m', now + 30 * 60_000],
    ['2031-02-03T04:05:06Z', Date.parse('2031-02-03T04:05:06Z')],
  ])('when --expires is %s, then it ends at the expected time', (input, expected) => {
    expect(parseExpiry(input, now)).toBe(expected);
  });

  it.each(['0d', '2020-01-01', 'soon', '90 d'])('when --expires is %s, then it is refused', (input) => {
    expect(() => parseExpiry(input, now)).toThrow(/--expires/);
  });
});
