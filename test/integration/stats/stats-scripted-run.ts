import { Redis } from 'ioredis';
import { SignalStore } from '../../../src/history/signal-store';
import { redisKeys } from '../../../src/redis/keys';
import { type Alert } from '../../../src/signals/alert';
import { type SignalEnvelope } from '../../../src/signals/signal';
import { executionHarness } from '../../support/memory/execution-harness';
import { silentLogger } from '../../support/memory/main-account';
import { REDIS_URL, dropPrefix, uniquePrefix } from '../../support/test-redis';

/** One scripted signal: when its alert was made, how long until its order leaves and its answer comes back. */
export interface Script {
  alert: Partial<Alert>;
  /** Epoch ms of the alert (its `timestamp`); received 5 ms later. */
  at: number;
  /** Alert → the run starts and sends its order. */
  sendAfterMs: number;
  /** The exchange's answer time (a market order fills with it). */
  exchangeMs: number;
  fillPrice: number;
  fee?: { cost: number; currency: string };
}

let n = 0;

/** The signal store of the worker (its transitions keep the statistics), on the given clock. */
export function statsStore(redis: Redis, prefix: string, now: () => number): SignalStore {
  return new SignalStore(redis, redisKeys(prefix), 30, { now, logger: silentLogger });
}

/** For a describe block: its own prefix, client and worker store on a fixed clock, all removed after it. */
export function statsFixture(name: string) {
  const prefix = uniquePrefix(name);
  const redis = new Redis(REDIS_URL);
  const now = Date.now();
  afterAll(async () => {
    await dropPrefix(prefix);
    redis.disconnect();
  });
  return { prefix, keys: redisKeys(prefix), redis, now, store: statsStore(redis, prefix, () => now) };
}

/**
 * Runs one signal through the real execution on an in-memory exchange and an injected clock, so that every
 * latency and price is exactly as scripted. Account `main` trades; any other account is unknown (rejected).
 */
export async function scriptedRun(redis: Redis, prefix: string, script: Script): Promise<SignalEnvelope> {
  n += 1;
  const { signal, clock, run } = executionHarness(
    { timestamp: script.at, ...script.alert },
    {
      at: script.at,
      envelope: {
        id: `sig_${n.toString(16).padStart(24, 'e')}`,
        auth: 'hmac',
        requestId: `req-stats-${n}`,
        receivedAt: script.at + 5,
      },
      timing: { price: script.fillPrice, answerMs: script.exchangeMs, fee: script.fee },
    },
  );
  const store = statsStore(redis, prefix, () => clock.now());
  await store.recordQueued(signal, signal.receivedAt + 1);
  clock.advance(script.sendAfterMs);
  await run({ history: store });
  return signal;
}
