import { type Redis } from 'ioredis';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { type QueueCatalog } from '../queue/queue-catalog';
import { type RedisKeys } from '../redis/keys';

/** An alert's outcome as the webhook answered it (an `IntakeResponse`, or a refusal before the intake). */
export interface AlertObservation {
  outcome: string;
  reason?: string;
}

export interface WebMetricsOptions {
  redis: Redis;
  keys: RedisKeys;
  catalog: QueueCatalog;
  /** Configured account ids: each gets a paused gauge, 0 or 1. */
  accounts: string[];
  /** @defaultValue true */
  processMetrics?: boolean;
  /** @defaultValue Date.now */
  now?: () => number;
}

const BREAKER_STATES = ['closed', 'half_open', 'open', 'isolated'] as const;
const QUEUE_STATES = ['wait', 'active', 'delayed', 'prioritized', 'failed'] as const;
/** Heartbeats newer than this count a worker as alive (the same window as `/ready`). */
const WORKER_FRESH_MS = 30_000;

/**
 * Only reasons from a closed vocabulary become label values (`bad_signature`, `timestamp_missing`…): a
 * reason carrying request data (a field path, a content type, an error message) would let any sender mint
 * new time series.
 */
function reasonLabel(observation: AlertObservation): string {
  const reason = observation.reason;
  if (reason === undefined) return '';
  if (observation.outcome === 'unavailable') return 'queue_unavailable';
  if (observation.outcome === 'invalid_signal' || observation.outcome === 'unsupported_media_type') return '';
  return /^[a-z_]{1,40}$/.test(reason) ? reason : 'other';
}

/**
 * The web process's metrics: alerts by outcome and reason (counted as they are answered), and, read from
 * Redis at scrape time, queue depth and oldest wait per queue, breaker state and pause per account, live
 * workers — plus the process's own metrics.
 */
export class WebMetrics {
  readonly registry = new Registry();
  private readonly alerts: Counter<'outcome' | 'reason'>;
  private readonly alertChildren = new Map<string, { inc(): void }>();
  private readonly queueJobs: Gauge<'queue' | 'state'>;
  private readonly oldestWait: Gauge<'queue'>;
  private readonly breaker: Gauge<'account' | 'state'>;
  private readonly paused: Gauge<'account'>;
  private readonly workers: Gauge;
  private readonly redisUp: Gauge;
  private readonly warmUps: Counter<'ended'>;
  private readonly now: () => number;

  constructor(private readonly options: WebMetricsOptions) {
    this.now = options.now ?? Date.now;
    const registers = [this.registry];
    this.alerts = new Counter({
      name: 'tradehook_alerts_total',
      help: 'Webhook alerts by outcome (queued, duplicate, unauthorized…) and reason.',
      labelNames: ['outcome', 'reason'],
      registers,
    });
    this.queueJobs = new Gauge({
      name: 'tradehook_queue_jobs',
      help: 'Jobs per queue (signal partition) and state.',
      labelNames: ['queue', 'state'],
      registers,
    });
    this.oldestWait = new Gauge({
      name: 'tradehook_queue_oldest_wait_seconds',
      help: 'Age of the oldest job waiting in each queue (0 when none waits).',
      labelNames: ['queue'],
      registers,
    });
    this.breaker = new Gauge({
      name: 'tradehook_exchange_breaker_state',
      help: "1 for each account's current circuit-breaker state, as its worker last reported it.",
      labelNames: ['account', 'state'],
      registers,
    });
    this.paused = new Gauge({
      name: 'tradehook_account_paused',
      help: '1 when the account is paused (kill switch).',
      labelNames: ['account'],
      registers,
    });
    this.workers = new Gauge({
      name: 'tradehook_workers',
      help: 'Worker processes with a heartbeat in the last 30 s.',
      registers,
    });
    this.redisUp = new Gauge({
      name: 'tradehook_redis_up',
      help: '1 when the last scrape could read Redis.',
      registers,
    });
    this.warmUps = new Counter({
      name: 'tradehook_warm_ups_total',
      help: "The web's warm-ups of its webhook code (WEB_WARM_UP) by how they ended: done, activity (a real request came), closed, unavailable (Redis), refused, failed.",
      labelNames: ['ended'],
      registers,
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Counts one warm-up of the webhook's code (src/main/intake-warm-up.ts) by how it ended. */
  observeWarmUp(ended: string): void {
    this.warmUps.inc({ ended });
  }

  /** Counts one answered alert. On the webhook's hot path: one map lookup and an increment. */
  observeAlert(observation: AlertObservation): void {
    const reason = reasonLabel(observation);
    const id = `${observation.outcome}\n${reason}`;
    let child = this.alertChildren.get(id);
    if (!child) {
      child = this.alerts.labels({ outcome: observation.outcome, reason });
      this.alertChildren.set(id, child);
    }
    child.inc();
  }

  /** Reads the scrape-time gauges from Redis; on failure they are left empty and `tradehook_redis_up` is 0. */
  async refresh(): Promise<void> {
    for (const gauge of [this.queueJobs, this.oldestWait, this.breaker, this.paused]) gauge.reset();
    try {
      await Promise.all([this.refreshQueues(), this.refreshAccounts()]);
      this.redisUp.set(1);
    } catch {
      this.redisUp.set(0);
    }
  }

  private async refreshQueues(): Promise<void> {
    const now = this.now();
    await Promise.all(
      this.options.catalog.list().map(async ({ queue }) => {
        const [counts, oldest] = await Promise.all([
          queue.getJobCounts(...QUEUE_STATES),
          queue.getJobs(['wait'], 0, 0, true),
        ]);
        for (const state of QUEUE_STATES)
          this.queueJobs.set({ queue: queue.name, state }, counts[state] ?? 0);
        const first = oldest[0];
        this.oldestWait.set({ queue: queue.name }, first ? Math.max(0, now - first.timestamp) / 1000 : 0);
      }),
    );
  }

  private async refreshAccounts(): Promise<void> {
    const { redis, keys } = this.options;
    const [breakers, paused, beats] = await Promise.all([
      redis.hgetall(keys.breakers),
      redis.hgetall(keys.pausedAccounts),
      redis.hgetall(keys.workerHeartbeat),
    ]);
    for (const [account, state] of Object.entries(breakers)) {
      if (account === 'updatedAt') continue;
      for (const s of BREAKER_STATES) this.breaker.set({ account, state: s }, s === normalise(state) ? 1 : 0);
    }
    // `*` is the global pause (src/control): it pauses every account.
    const all = '*' in paused;
    for (const account of this.options.accounts)
      this.paused.set({ account }, all || account in paused ? 1 : 0);
    const now = this.now();
    this.workers.set(Object.values(beats).filter((at) => now - Number(at) < WORKER_FRESH_MS).length);
  }
}

/** Workers report `half-open`; Prometheus label values read better in snake case. */
function normalise(state: string): string {
  return state.replace('-', '_');
}
