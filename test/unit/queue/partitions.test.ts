import {
  SIGNAL_PARTITIONS,
  hashPartition,
  partitionOf,
  signalQueueName,
  symbolKey,
} from '../../../src/queue/partitions';

describe('symbolKey', () => {
  it.each([
    'BINANCE:BTCUSDT.P',
    'BYBIT:BTCUSDT.P',
    'BINANCE:BTCUSDT',
    'BTC/USDT:USDT',
    'BTC/USDT',
    'btc-usdt',
    'BTC_USDT',
    'BTCUSDT',
    'btcusdt.p',
    ' BTCUSDT ',
    'BINANCE:BTC/USDT:USDT',
  ])('when the symbol is %j, then its key is BTCUSDT', (symbol) => {
    expect(symbolKey(symbol)).toBe('BTCUSDT');
  });

  it.each([
    ['ETHUSDT', 'ETHUSDT'],
    ['BINANCE:ETHBTC', 'ETHBTC'],
    ['SOL/USDC:USDC', 'SOLUSDC'],
    ['1000PEPE/USDT:USDT', '1000PEPEUSDT'],
  ])('when the symbol is %j, then its key is %s', (symbol, key) => {
    expect(symbolKey(symbol)).toBe(key);
  });

  it('when pairs differ, then their keys differ', () => {
    expect(symbolKey('BTC/USDT')).not.toBe(symbolKey('ETH/USDT'));
    expect(symbolKey('BTC/USDT')).not.toBe(symbolKey('BTC/USDC'));
  });
});

/** Partitions of three pairs as computed before the memo existed (commit 951d247). */
const PINNED = [2, 0, 3];

describe('partitionOf', () => {
  it('when the same account and symbol are given twice, then the partition is the same', () => {
    expect(partitionOf('main', 'BTCUSDT')).toBe(partitionOf('main', 'BTCUSDT'));
  });

  it('when the symbol is spelled differently for the same pair, then the partition is the same', () => {
    const partitions = new Set(
      ['BINANCE:BTCUSDT.P', 'BTC/USDT:USDT', 'btc-usdt', 'BTCUSDT'].map((s) => partitionOf('main', s)),
    );
    expect(partitions.size).toBe(1);
  });

  it('when many symbols are spread, then every partition lies within 0..SIGNAL_PARTITIONS-1 and all are used', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 400; i++) {
      const partition = partitionOf('main', `COIN${i}USDT`);
      expect(Number.isInteger(partition)).toBe(true);
      expect(partition).toBeGreaterThanOrEqual(0);
      expect(partition).toBeLessThan(SIGNAL_PARTITIONS);
      seen.add(partition);
    }
    expect(seen.size).toBe(SIGNAL_PARTITIONS);
  });

  it('when a pair is hashed, then its partition is the one every version computed (web and worker must agree)', () => {
    expect([
      hashPartition('main', 'BTCUSDT'),
      hashPartition('main', 'ETHUSDT'),
      hashPartition('b', 'SOLUSDT'),
    ]).toEqual(PINNED);
  });

  it('when more spellings pass than the memo keeps, then every answer still equals the hash computed afresh', () => {
    const symbols = Array.from({ length: 25_000 }, (_, i) => `C${i}/USDT`);
    for (const symbol of symbols) expect(partitionOf('memo', symbol)).toBe(hashPartition('memo', symbol));
    for (const symbol of symbols.slice(0, 50))
      expect(partitionOf('memo', symbol)).toBe(hashPartition('memo', symbol));
    expect(partitionOf('other', 'C1/USDT')).toBe(hashPartition('other', 'C1/USDT'));
  });

  it('when accounts differ, then the same symbol can land in different partitions', () => {
    const accounts = Array.from({ length: 32 }, (_, i) => `account-${i}`);
    expect(new Set(accounts.map((a) => partitionOf(a, 'BTCUSDT'))).size).toBeGreaterThan(1);
  });
});

describe('signalQueueName', () => {
  it.each([0, 3, 7])(
    'when the partition is %p, then the queue name is signals-%p and holds no colon',
    (p) => {
      expect(signalQueueName(p)).toBe(`signals-${p}`);
      expect(signalQueueName(p)).not.toContain(':');
    },
  );
});
