import { MarketCache } from '../../../src/exchange/ccxt/market-cache';
import type { MarketMap } from '../../../src/exchange/exchange-session';

const mapWith = (symbol: string): MarketMap => ({
  [symbol]: {
    symbol,
    id: symbol,
    base: 'B',
    quote: 'Q',
    type: 'spot',
    active: true,
    precision: {},
    limits: {},
  },
});

/** A loader whose calls resolve or reject only when the test says so. */
function controlledLoader() {
  const pending: { resolve: (m: MarketMap) => void; reject: (e: Error) => void }[] = [];
  const load = jest.fn(() => new Promise<MarketMap>((resolve, reject) => pending.push({ resolve, reject })));
  return { load, pending };
}

describe('MarketCache', () => {
  it('when stopped while a refresh is in flight, then idle() resolves only once that load has settled, even if it fails', async () => {
    const { load, pending } = controlledLoader();
    const cache = new MarketCache({ load, onRefreshError: jest.fn() });
    const refreshing = cache.refresh();
    cache.stop();
    let idle = false;
    const waiting = cache.idle().then(() => (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false);
    pending[0].reject(new Error('503'));
    await waiting;
    await refreshing;
    expect(idle).toBe(true);
    await expect(cache.idle()).resolves.toBeUndefined();
  });

  it('when callers arrive before the first load finished, then they share one load', async () => {
    const { load, pending } = controlledLoader();
    const cache = new MarketCache({ load, onRefreshError: jest.fn() });
    const calls = [cache.get(), cache.get(), cache.get()];
    expect(load).toHaveBeenCalledTimes(1);
    pending[0].resolve(mapWith('A/B'));
    const results = await Promise.all(calls);
    expect(results.every((r) => r === results[0])).toBe(true);
  });

  it('when the cold load fails, then the failure is not cached and the next caller loads again', async () => {
    const { load, pending } = controlledLoader();
    const cache = new MarketCache({ load, onRefreshError: jest.fn() });
    const first = cache.get();
    pending[0].reject(new Error('503'));
    await expect(first).rejects.toThrow('503');
    const second = cache.get();
    pending[1].resolve(mapWith('A/B'));
    await expect(second).resolves.toHaveProperty('A/B');
  });

  it('when a refresh is running, then callers get the previous map without waiting', async () => {
    const { load, pending } = controlledLoader();
    const cache = new MarketCache({ load, onRefreshError: jest.fn() });
    const warm = cache.get();
    pending[0].resolve(mapWith('OLD/Q'));
    await warm;
    const refreshing = cache.refresh();
    expect(load).toHaveBeenCalledTimes(2);
    await expect(cache.get()).resolves.toHaveProperty('OLD/Q'); // would hang if it waited for the refresh
    pending[1].resolve(mapWith('NEW/Q'));
    await refreshing;
    await expect(cache.get()).resolves.toHaveProperty('NEW/Q');
  });

  it('when a refresh fails, then the old map stays and the failure is reported', async () => {
    const { load, pending } = controlledLoader();
    const onRefreshError = jest.fn();
    const cache = new MarketCache({ load, onRefreshError });
    const warm = cache.get();
    pending[0].resolve(mapWith('OLD/Q'));
    await warm;
    const refreshing = cache.refresh();
    pending[1].reject(new Error('exchangeInfo 503'));
    await refreshing;
    expect(onRefreshError).toHaveBeenCalledWith(expect.objectContaining({ message: 'exchangeInfo 503' }));
    await expect(cache.get()).resolves.toHaveProperty('OLD/Q');
  });

  it('when started, then it refreshes on the interval until stopped', async () => {
    jest.useFakeTimers();
    try {
      const load = jest.fn(async () => mapWith('A/B'));
      const cache = new MarketCache({ load, onRefreshError: jest.fn() });
      cache.start(1000);
      await jest.advanceTimersByTimeAsync(3500);
      expect(load).toHaveBeenCalledTimes(3);
      cache.stop();
      await jest.advanceTimersByTimeAsync(5000);
      expect(load).toHaveBeenCalledTimes(3);
    } finally {
      jest.useRealTimers();
    }
  });
});
