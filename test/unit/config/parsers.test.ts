import { parseBalances, parseBytes, parseList, parseTrustProxy } from '../../../src/config/parsers';

describe('parseList', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    [' a , b ,c ', ['a', 'b', 'c']],
    ['a,,b,', ['a', 'b']],
    ['', []],
    [' , ', []],
    ['single', ['single']],
  ])('when the input is %j, then the list is %j', (input, expected) => {
    expect(parseList(input)).toEqual(expected);
  });
});

describe('parseBytes', () => {
  it.each([
    ['16kb', 16 * 1024],
    ['16KB', 16 * 1024],
    ['1mb', 1024 * 1024],
    ['1.5kb', 1536],
    ['2048', 2048],
    ['2048b', 2048],
    [' 64 kb ', 64 * 1024],
  ])('when the input is %j, then it is %p bytes', (input, expected) => {
    expect(parseBytes(input)).toBe(expected);
  });

  it.each(['', 'huge', '1gb', '-1kb', 'kb', '1 2kb', '.5kb'])(
    'when the input is %j, then it names the expected form',
    (input) => {
      expect(() => parseBytes(input)).toThrow(`expected a size such as 16kb or 1mb, got "${input}"`);
    },
  );

  it.each(['0', '0kb', '0.0001kb'])(
    'when the input %j is less than one byte, then it is refused',
    (input) => {
      expect(() => parseBytes(input)).toThrow('must be at least 1 byte');
    },
  );
});

describe('parseTrustProxy', () => {
  it.each([
    ['false', false],
    ['FALSE', false],
    ['0', false],
    ['', false],
    ['true', true],
    ['True', true],
    ['1', 1],
    ['2', 2],
    ['loopback', ['loopback']],
    ['loopback, 10.0.0.0/8, 2001:db8::/32', ['loopback', '10.0.0.0/8', '2001:db8::/32']],
  ])('when the input is %j, then the setting is %j', (input, expected) => {
    expect(parseTrustProxy(input)).toEqual(expected);
  });

  // Regression guard: any word is accepted as a one-entry list, so a typo (`yes`, `on`) passes config
  // validation and only crashes later in express (`app.set('trust proxy', ['yes'])` throws "invalid IP address:
  // yes"), outside the one ConfigError that should list every problem.
  it.each(['yes', 'on', 'heroku'])('when the input is the word %j, then it is refused', (input) => {
    expect(() => parseTrustProxy(input)).toThrow();
  });
});

describe('parseBalances', () => {
  it.each([
    ['USDT:10000', { USDT: 10000 }],
    ['USDT:10000,BTC:0.5', { USDT: 10000, BTC: 0.5 }],
    [' usdt : 250 , eth:0 ', { USDT: 250, ETH: 0 }],
    ['', {}],
  ])('when the input is %j, then the balances are %j', (input, expected) => {
    expect(parseBalances(input)).toEqual(expected);
  });

  it.each([
    ['USDT', 'USDT'],
    ['USDT:abc', 'USDT:abc'],
    ['USDT:-1', 'USDT:-1'],
    [':100', ':100'],
    ['USDT:1:2', 'USDT:1:2'],
    ['USDT:Infinity', 'USDT:Infinity'],
    ['USDT:10,BTC', 'BTC'],
  ])('when the input is %j, then the entry %j is named as not ASSET:AMOUNT', (input, entry) => {
    expect(() => parseBalances(input)).toThrow(
      `expected ASSET:AMOUNT pairs such as USDT:10000, got "${entry}"`,
    );
  });

  // Regression guard: `Number('')` is 0, so an entry with its amount left out (`USDT:`) silently becomes a zero
  // balance instead of being refused.
  it('when an amount is left empty (USDT:), then it is refused', () => {
    expect(() => parseBalances('USDT:')).toThrow('expected ASSET:AMOUNT pairs');
  });
});
