import { type Redis } from 'ioredis';
import { SIGNAL_PARTITIONS, signalQueueName } from '../src/queue/partitions';
import { clockMs, sleep } from './engine-clock';
import { type ExchangeRequestTiming } from './engine-fake';
import { ENGINE_TARGETS, type EngineBenchFigures } from './engine-figures';
import { type SentAlert } from './engine-sender';
import { type Verdict } from './targets';

/** Checks of the engine benchmark: every signal final and filled, exactly one order each; and the verdicts. */

export function judgeEngine(f: Pick<EngineBenchFigures, 'latency' | 'checks'>): Verdict[] {
  const { overheadMs } = f.latency;
  const c = f.checks;
  const filled = c.statuses.filled ?? 0;
  return [
    {
      name: 'overhead p50',
      target: `<= ${ENGINE_TARGETS.maxOverheadP50Ms} ms`,
      actual: `${overheadMs.p50.toFixed(2)} ms`,
      pass: overheadMs.p50 <= ENGINE_TARGETS.maxOverheadP50Ms,
    },
    {
      name: 'overhead p99',
      target: `<= ${ENGINE_TARGETS.maxOverheadP99Ms} ms`,
      actual: `${overheadMs.p99.toFixed(2)} ms`,
      pass: overheadMs.p99 <= ENGINE_TARGETS.maxOverheadP99Ms,
    },
    {
      name: 'every signal filled',
      target: 'status filled, all signals (202 each)',
      actual: `${filled}/${c.signals} filled, ${c.non202} non-202`,
      pass: filled === c.signals && c.non202 === 0,
    },
    {
      name: 'one order per signal',
      target: 'exactly one createOrder per signal, none stray',
      actual: `${c.createOrders} createOrder for ${c.signals} signals, ${c.notExactlyOneCreate} not exactly one, ${c.strayCreates} stray`,
      pass: c.notExactlyOneCreate === 0 && c.strayCreates === 0 && c.createOrders === c.signals,
    },
  ];
}

/** A signal's part of its client order ids: the 24 hex digits of `sig_<hex>`, or of `th<hex><leg>`. */
export function coreOf(id: string | undefined): string {
  if (!id) return '';
  if (id.startsWith('sig_')) return id.slice(4, 28);
  return /^th[0-9a-f]{24}/.test(id) ? id.slice(2, 26) : '';
}

/** Signals in a final state: BullMQ's completed plus failed jobs, over every partition. */
export async function finalCount(redis: Redis, prefix: string): Promise<number> {
  const pipeline = redis.pipeline();
  for (let p = 0; p < SIGNAL_PARTITIONS; p++) {
    pipeline.zcard(`${prefix}:${signalQueueName(p)}:completed`);
    pipeline.zcard(`${prefix}:${signalQueueName(p)}:failed`);
  }
  const results = (await pipeline.exec()) ?? [];
  return results.reduce((sum, [, n]) => sum + Number(n ?? 0), 0);
}

export async function waitForFinals(
  count: () => Promise<number>,
  expected: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = clockMs() + timeoutMs;
  while ((await count()) < expected) {
    if (clockMs() > deadline) throw new Error(`signals still not final after ${timeoutMs / 1000} s`);
    await sleep(20);
  }
}

export async function checkSignals(
  redis: Redis,
  prefix: string,
  sent: SentAlert[],
  requests: ExchangeRequestTiming[],
  unhandledRequests: number,
): Promise<EngineBenchFigures['checks']> {
  const queued = sent.filter((s) => s.status === 202 && s.signalId);
  const statuses: Record<string, number> = {};
  for (let i = 0; i < queued.length; i += 1000) {
    const pipeline = redis.pipeline();
    for (const s of queued.slice(i, i + 1000)) pipeline.hget(`${prefix}:signal:${s.signalId}`, 'status');
    for (const [, status] of (await pipeline.exec()) ?? []) {
      const key = typeof status === 'string' ? status : 'missing';
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
  }
  const perSignal = new Map<string, number>(queued.map((s) => [coreOf(s.signalId), 0]));
  let createOrders = 0;
  let strayCreates = 0;
  for (const r of requests) {
    if (r.operation !== 'createOrder') continue;
    createOrders += 1;
    const core = coreOf(r.clientOrderId);
    if (perSignal.has(core)) perSignal.set(core, (perSignal.get(core) ?? 0) + 1);
    else strayCreates += 1;
  }
  return {
    signals: sent.length,
    non202: sent.length - queued.length,
    statuses,
    createOrders,
    notExactlyOneCreate: [...perSignal.values()].filter((c) => c !== 1).length,
    strayCreates,
    unhandledRequests,
  };
}
