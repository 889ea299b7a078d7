import { type EngineOptions } from './engine-options';
import { type Summary } from './engine-stats';
import { type Verdict } from './targets';

export const ENGINE_TARGETS = {
  /** tradehook's own share of alert → order request, p50 (inclusive bound). */
  maxOverheadP50Ms: 5,
  /** … and p99 (inclusive bound). */
  maxOverheadP99Ms: 25,
} as const;

/** One step of a signal's way from the alert to the order request, over the measured signals. */
export interface StepFigures {
  name: string;
  ms: Summary;
}

export interface EngineBenchFigures {
  name: 'engine';
  options: EngineOptions;
  setup: {
    account: string;
    symbols: string[];
    /** How many of the symbols each partition holds (index = partition). */
    symbolsPerPartition: number[];
    workerConcurrency: number;
    prefix: string;
    /** ccxt `rateLimit` of the account (ms per unit of request cost). */
    ccxtRateLimitMs: number;
    /** Whether source-mapped stack traces were on (see EngineOptions.sourceMaps). */
    sourceMaps: boolean;
  };
  /** Phases on the shared clock (engine-clock.ts, ms; equal to a --cpu-prof profile's µs / 1000). */
  windows: { latency: [number, number]; drain: [number, number] };
  latency: {
    rate: number;
    warmupSignals: number;
    measuredSignals: number;
    /** Alerts sent per second over the measured part, as achieved. */
    achievedRate: number;
    /** From just before the alert's HTTP request to the fake receiving the signal's createOrder. */
    rawMs: Summary;
    /** The fake's handling time of the signal's earlier calls (lookups), plus market loads in between. */
    exchangeMs: Summary;
    /** raw − exchange: tradehook's own share. */
    overheadMs: Summary;
    /** The 202 answer, for comparison. */
    intakeAnswerMs: Summary;
    /** Market loads the fake received during the latency run (after the worker's warm-up). */
    marketLoads: number;
    /** Main thread (web + worker): event-loop delay (monitorEventLoopDelay) and GC pauses, whole run. */
    eventLoopDelayMs: { p50: number; p99: number; max: number };
    gc: { count: number; totalMs: number; maxMs: number };
    /** The raw latency split into consecutive steps (they add up to it per signal). */
    steps: StepFigures[];
    /** What follows the order request (not part of the latency). */
    after: StepFigures[];
  };
  throughput: {
    signals: number;
    /** Signals per partition (the run spreads them evenly over the partitions). */
    perPartition: number[];
    enqueueSeconds: number;
    /** From startWorker() to the last signal's final state. */
    drainSeconds: number;
    /** From startWorker() to the first order request the fake received. */
    firstOrderAfterMs: number;
    /** createOrder requests per second between the 10th and the 90th percentile of their arrivals. */
    ordersPerSecondSteady: number;
    /** All orders over first → last order request. */
    ordersPerSecondOverall: number;
    /** Main thread (web + worker) CPU per order in the steady part, idle baseline removed (10 ms ticks). */
    mainCpuUsPerOrderSteady: number;
    /** Same over the whole drain, worker start-up included. */
    mainCpuUsPerOrderDrain: number;
    /** Every thread of the process except the fake exchange's, over the whole drain (GC helpers included). */
    processCpuUsPerOrderDrain: number;
    /** Main thread CPU per second while idle (web + worker, no signals), subtracted above. */
    idleBaselineMsPerSecond: number;
    /** Share of the steady part the main thread's event loop was busy. */
    mainThreadBusySteady: number;
    /** Redis server CPU per order (INFO cpu) over the drain; the server may be shared. */
    redisCpuUsPerOrder: number;
    /** CPU per order of the fake exchange's thread, for scale. */
    fakeCpuUsPerOrder: number;
  };
  checks: {
    signals: number;
    non202: number;
    statuses: Record<string, number>;
    createOrders: number;
    /** Signals whose createOrder count is not exactly one. */
    notExactlyOneCreate: number;
    /** createOrder requests carrying no client id of this run's signals. */
    strayCreates: number;
    unhandledRequests: number;
  };
  verdicts: Verdict[];
  redis: { prefix: string; deletedKeys: number };
}
