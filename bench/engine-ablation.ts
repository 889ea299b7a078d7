import { SignalStore } from '../src/history/signal-store';
import type { RunProgress } from '../src/execution/signal-run';
import { redisKeys } from '../src/redis/keys';
import type { SignalEnvelope } from '../src/signals/signal';

/**
 * What-if runs of the engine benchmark: each ablation changes one step of the worker at runtime, the way a
 * proposed change to src/ would (nothing under src/ changes), so the latency and CPU saved are that change's
 * gain. `BENCH_ENGINE_ABLATE=one-start-roundtrip npm run bench`.
 */
export const ENGINE_ABLATIONS = {
  'one-start-roundtrip': 'markProcessing and loadProgress in one MULTI (one Redis round trip instead of two)',
  'log-warn': 'LOG_LEVEL=warn: the info lines (4 per signal) are not formatted',
} as const;

export type EngineAblation = keyof typeof ENGINE_ABLATIONS;

export function parseEngineAblations(raw: string | undefined): EngineAblation[] {
  const names = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!(name in ENGINE_ABLATIONS)) {
      throw new Error(
        `unknown engine ablation "${name}" (known: ${Object.keys(ENGINE_ABLATIONS).join(', ')})`,
      );
    }
  }
  return names as EngineAblation[];
}

type Methods = Record<string, (...args: unknown[]) => unknown>;

/**
 * Applies the ablations by replacing prototype methods; returns the undo. Must run before the worker builds
 * its sessions (ccxt copies `throttle` onto each exchange instance) and before the trace is installed (the
 * trace then wraps the replacements). `log-warn` is applied by the caller through the configuration.
 */
export function applyEngineAblations(ablations: EngineAblation[], prefix: string): () => void {
  const undo: Array<() => void> = [];
  const replace = (proto: object, name: string, fn: (...args: unknown[]) => unknown) => {
    const target = proto as Methods;
    const original = target[name];
    target[name] = fn;
    undo.push(() => {
      target[name] = original;
    });
  };
  const on = new Set(ablations);

  if (on.has('one-start-roundtrip')) {
    const keys = redisKeys(prefix);
    const started = new Map<string, RunProgress>();
    const store = SignalStore.prototype as unknown as Methods;
    const loadProgress = store.loadProgress;
    replace(SignalStore.prototype, 'markProcessing', async function (this: unknown, ...args: unknown[]) {
      const [signal, startedAt] = args as [SignalEnvelope, number];
      const self = this as unknown as {
        redis: import('ioredis').Redis;
        retentionSeconds: number;
        baseFields(s: SignalEnvelope): Record<string, string>;
      };
      const key = keys.signal(signal.id);
      const results = await self.redis
        .multi()
        .hset(key, { ...self.baseFields(signal), status: 'processing', startedAt: String(startedAt) })
        .hincrby(key, 'attempts', 1)
        .expire(key, self.retentionSeconds)
        .zadd(keys.signalIndex, signal.receivedAt, signal.id)
        .hmget(key, 'plan', 'stepsDone', 'orders', 'calls', 'notes', 'unresolved')
        .exec();
      const [plan, stepsDone, orders, calls, notes, unresolved] = (results?.[4]?.[1] ?? []) as Array<
        string | null
      >;
      started.set(signal.id, {
        steps: plan ? JSON.parse(plan) : undefined,
        notes: notes ? JSON.parse(notes) : undefined,
        unresolved: unresolved ? JSON.parse(unresolved) : undefined,
        stepsDone: Number(stepsDone ?? 0),
        orders: orders ? JSON.parse(orders) : [],
        calls: calls ? JSON.parse(calls) : [],
      });
      return Number(results?.[1]?.[1] ?? 1);
    });
    replace(SignalStore.prototype, 'loadProgress', function (this: unknown, id: unknown) {
      const known = started.get(id as string);
      if (!known) return loadProgress.call(this, id);
      started.delete(id as string);
      return Promise.resolve(known);
    });
  }

  return () => {
    for (const step of undo.reverse()) step();
  };
}
