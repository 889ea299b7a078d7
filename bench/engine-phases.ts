import { type Redis } from 'ioredis';
import { type ExchangeRequestTiming } from './engine-fake';
import { type EngineBenchFigures } from './engine-figures';
import { type SentAlert } from './engine-sender';
import { summarize } from './engine-stats';
import { type SignalTrace, type Trace } from './engine-trace';
import { coreOf } from './engine-checks';

/** The measurements of the engine benchmark's phases: latency split into steps, CPU and rates. */

export async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return field('used_cpu_user') + field('used_cpu_sys');
}

export function achievedRate(sent: SentAlert[]): number {
  if (sent.length < 2) return NaN;
  return ((sent.length - 1) * 1000) / (sent[sent.length - 1].sentAt - sent[0].sentAt);
}

/** One measured signal with everything known about it. */
interface Joined {
  sent: SentAlert;
  trace: SignalTrace;
  lookup?: ExchangeRequestTiming;
  create?: ExchangeRequestTiming;
  exchangeMs: number;
}

type Point = (j: Joined) => number | undefined;

/** Consecutive steps: per signal they add up to alert → order request. */
const STEPS: Array<[string, Point, Point]> = [
  ['HTTP in, to intake (fast path, body)', (j) => j.sent.sentAt, (j) => j.trace.intakeStart],
  ['intake: auth, nonce, parse, BullMQ add', (j) => j.trace.intakeStart, (j) => j.trace.enqueued],
  ['BullMQ: added -> worker handler', (j) => j.trace.enqueued, (j) => j.trace.picked],
  ['worker: hold check, start (2 round trips)', (j) => j.trace.picked, (j) => j.trace.loadEnd],
  ['worker: plan (markets, sizing, log)', (j) => j.trace.loadEnd, (j) => j.trace.planSaveStart],
  ['worker: 1st saveProgress (plan [+ send])', (j) => j.trace.planSaveStart, (j) => j.trace.planSaveEnd],
  ['worker: -> findOrder', (j) => j.trace.planSaveEnd, (j) => j.trace.findStart],
  ['findOrder: session + ccxt fetchOrder prep', (j) => j.trace.findStart, (j) => j.trace.findCall],
  ['findOrder: ccxt rate limiter wait', (j) => j.trace.findCall, (j) => j.trace.findThrottled],
  ['findOrder: ccxt sign', (j) => j.trace.findThrottled, (j) => j.trace.findFetch],
  ['findOrder: fetch -> exchange receives', (j) => j.trace.findFetch, (j) => j.lookup?.arrivedAt],
  ['findOrder: EXCHANGE handling', (j) => j.lookup?.arrivedAt, (j) => j.lookup?.answeredAt],
  ['findOrder: answer -> result (ccxt parse)', (j) => j.lookup?.answeredAt, (j) => j.trace.findEnd],
  ['worker: -> createOrder', (j) => j.trace.findEnd ?? j.trace.planSaveEnd, (j) => j.trace.createStart],
  ['createOrder: session + ccxt createOrder prep', (j) => j.trace.createStart, (j) => j.trace.createCall],
  ['createOrder: ccxt rate limiter wait', (j) => j.trace.createCall, (j) => j.trace.createThrottled],
  ['createOrder: ccxt sign', (j) => j.trace.createThrottled, (j) => j.trace.createFetch],
  ['createOrder: fetch -> exchange receives', (j) => j.trace.createFetch, (j) => j.create?.arrivedAt],
];

const AFTER: Array<[string, Point, Point]> = [
  ['createOrder: EXCHANGE handling', (j) => j.create?.arrivedAt, (j) => j.create?.answeredAt],
  ['answer -> record filled', (j) => j.create?.answeredAt, (j) => j.trace.finishEnd],
];

const span = (j: Joined, from: Point, to: Point) => {
  const a = from(j);
  const b = to(j);
  return a === undefined || b === undefined ? NaN : b - a;
};

const MARKET_LOADS = new Set(['exchangeInfo', 'usdmExchangeInfo', 'coinmExchangeInfo']);

export function analyseLatency(
  sent: SentAlert[],
  warmupSignals: number,
  requests: ExchangeRequestTiming[],
  trace: Trace,
): Pick<
  EngineBenchFigures['latency'],
  'rawMs' | 'exchangeMs' | 'overheadMs' | 'intakeAnswerMs' | 'marketLoads' | 'steps' | 'after'
> {
  const creates = new Map<string, ExchangeRequestTiming>();
  const lookups = new Map<string, ExchangeRequestTiming[]>();
  const loads: ExchangeRequestTiming[] = [];
  for (const r of requests) {
    const core = coreOf(r.clientOrderId);
    if (r.operation === 'createOrder' && core && !creates.has(core)) creates.set(core, r);
    else if (core) lookups.set(core, [...(lookups.get(core) ?? []), r]);
    else if (MARKET_LOADS.has(r.operation)) loads.push(r);
  }
  const joined: Joined[] = [];
  for (const s of sent.slice(warmupSignals)) {
    const core = coreOf(s.signalId);
    const create = creates.get(core);
    if (s.status !== 202 || !create) continue;
    const before = (lookups.get(core) ?? []).filter((r) => r.arrivedAt < create.arrivedAt);
    let exchangeMs = before.reduce((sum, r) => sum + (r.answeredAt - r.arrivedAt), 0);
    for (const load of loads) {
      const overlap = Math.min(load.answeredAt, create.arrivedAt) - Math.max(load.arrivedAt, s.sentAt);
      if (overlap > 0) exchangeMs += overlap;
    }
    joined.push({
      sent: s,
      trace: trace.signals.get(s.signalId) ?? {},
      lookup: before[0],
      create,
      exchangeMs,
    });
  }
  const raw = joined.map((j) => j.create!.arrivedAt - j.sent.sentAt);
  return {
    rawMs: summarize(raw),
    exchangeMs: summarize(joined.map((j) => j.exchangeMs)),
    overheadMs: summarize(joined.map((j, i) => raw[i] - j.exchangeMs)),
    intakeAnswerMs: summarize(sent.slice(warmupSignals).map((s) => s.answeredAt - s.sentAt)),
    marketLoads: loads.length,
    steps: STEPS.map(([name, from, to]) => ({ name, ms: summarize(joined.map((j) => span(j, from, to))) })),
    after: AFTER.map(([name, from, to]) => ({ name, ms: summarize(joined.map((j) => span(j, from, to))) })),
  };
}
