import ccxt from 'ccxt';

describe('network guard', () => {
  it.each(['binance', 'bybit', 'okx'])(
    'when %s is called at its real URL with ccxt default transport, then the guard refuses the call and nothing leaves the machine',
    async (id) => {
      const ExchangeClass = (
        ccxt as unknown as Record<
          string,
          new (o: object) => { fetchTime(): Promise<number>; close(): Promise<void> }
        >
      )[id];
      const exchange = new ExchangeClass({ timeout: 5000 });
      // Refused by the guard itself (its message), before any DNS lookup or connection is attempted.
      await expect(exchange.fetchTime()).rejects.toThrow(/network guard|not loopback/);
      await exchange.close();
    },
  );
});
