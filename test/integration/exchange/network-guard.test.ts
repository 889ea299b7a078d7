import ccxt from 'ccxt';

describe('network guard', () => {
  it.each(['binance', 'bybit', 'okx'])(
    'when %s is called at its real URL with ccxt default transport, then the call fails at once and nothing leaves the machine',
    async (id) => {
      const ExchangeClass = (
        ccxt as unknown as Record<
          string,
          new (o: object) => { fetchTime(): Promise<number>; close(): Promise<void> }
        >
      )[id];
      const exchange = new ExchangeClass({ timeout: 5000 });
      const started = Date.now();
      await expect(exchange.fetchTime()).rejects.toThrow(/network guard|not loopback/);
      expect(Date.now() - started).toBeLessThan(1000);
      await exchange.close();
    },
  );
});
