import { type ExchangeSession } from '../../exchange/exchange-session';
import { type OrderWatchList, type WatchClaim } from '../../history/order-watch-list';
import { type SignalStore } from '../../history/signal-store';
import { type Logger } from '../../observability/logger';
import { backoffMs } from '../../util/backoff';
import { type Clock, systemClock } from '../../util/clock';
import { RECONCILE_FOR_MS, checkSignal } from './check-signal';

/** How often watched signals are looked at. */
export interface WatchTuning {
  /** First look at a resting order; later looks back off from there. @defaultValue 2000 */
  restingFirstMs: number;
  /** Slowest pace for a resting order (a GTC order may rest for weeks). @defaultValue 300000 */
  restingMaxMs: number;
  /** First look again at an order of unknown fate whose lookup failed. @defaultValue 5000 */
  unknownFirstMs: number;
  /** Slowest pace for an order of unknown fate (looked for up to 24 h after it was sent). @defaultValue 600000 */
  unknownMaxMs: number;
}

export interface OrderWatchOptions {
  list: OrderWatchList;
  store: Pick<SignalStore, 'getWithProgress' | 'update'>;
  /** The worker's session of an account; throws for an account this worker does not know. */
  session: (accountId: string) => ExchangeSession;
  logger: Logger;
  /** @defaultValue the system clock */
  clock?: Clock;
  /** How often this process looks for due items. @defaultValue 1000 */
  pollMs?: number;
  /** How long a claimed item is this process's before another may take it (a crash only delays). @defaultValue 120000 */
  leaseMs?: number;
  /** Signals checked at once by this process. @defaultValue 4 */
  concurrency?: number;
  tuning?: Partial<WatchTuning>;
}

const DEFAULT_TUNING: WatchTuning = {
  restingFirstMs: 2_000,
  restingMaxMs: 300_000,
  unknownFirstMs: 5_000,
  unknownMaxMs: 600_000,
};

/**
 * The order watch of a worker process: the reconciler (orders of unknown fate are looked for by client id
 * until found or proven absent, up to 24 h after they were sent) and the follower (a `placed` signal's
 * resting orders are polled until they fill or are canceled, with no deadline). Its list lives in Redis and
 * is shared by every worker: items are claimed with a lease, so no two workers check a signal at once and a
 * crash loses nothing. It never touches a signal partition: it runs beside the queue consumers.
 */
export class OrderWatch {
  private readonly clock: Clock;
  private readonly tuning: WatchTuning;
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<number> | undefined;
  private stopped = false;

  constructor(private readonly options: OrderWatchOptions) {
    this.clock = options.clock ?? systemClock;
    this.tuning = { ...DEFAULT_TUNING, ...options.tuning };
  }

  /** Looks at due items now (on start) and then every `pollMs`. */
  start(): void {
    this.stopped = false;
    const tick = async () => {
      await this.checkDue().catch((error: Error) => {
        this.options.logger.warn('order watch pass failed', { error: error.message });
      });
      if (!this.stopped) this.timer = setTimeout(() => void tick(), this.options.pollMs ?? 1_000).unref();
    };
    void tick(); // errors are logged inside; the loop must not die with one failed pass
  }

  /** One pass: claims the items due now and checks them. Returns how many were checked. */
  checkDue(): Promise<number> {
    this.pass ??= this.runPass().finally(() => {
      this.pass = undefined;
    });
    return this.pass;
  }

  /** Stops the loop and waits for a pass in progress. */
  async close(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.pass?.catch(() => undefined);
  }

  private async runPass(): Promise<number> {
    const concurrency = this.options.concurrency ?? 4;
    const claims = await this.options.list.claim({
      now: this.clock.now(),
      leaseMs: this.options.leaseMs ?? 120_000,
      limit: concurrency * 4,
    });
    let next = 0;
    const worker = async () => {
      while (next < claims.length) await this.check(claims[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claims.length) }, worker));
    return claims.length;
  }

  private async check(claim: WatchClaim): Promise<void> {
    const { list, store, logger } = this.options;
    const log = logger.child({ signalId: claim.signalId });
    try {
      const stored = await store.getWithProgress(claim.signalId);
      if (!stored) {
        await list.remove(claim); // the record expired (retention): nothing left to complete
        return;
      }
      const { record, progress } = stored;
      const session = this.sessionOf(record.account);
      if (!session) {
        // Another worker (or this one after a config fix) may know it: look again slowly, drop nothing.
        log.error("order watch: the signal's account is not configured in this worker", {
          account: record.account,
        });
        await list.reschedule(claim, this.clock.now() + this.tuning.unknownMaxMs, claim.item);
        return;
      }
      const now = this.clock.now();
      const outcome = await checkSignal({ record, progress, session, now });
      if (outcome.update) {
        const written = await store.update(claim.signalId, {
          from: record.status,
          ...outcome.update,
          ...(outcome.update.to !== record.status ? { finishedAt: now } : {}),
        });
        log.info('order watch updated a signal', {
          from: record.status,
          status: outcome.update.to,
          written,
          ...(outcome.update.error ? { code: outcome.update.error.code } : {}),
        });
      }
      if (!outcome.watching) {
        await list.remove(claim);
        return;
      }
      const item = { ...claim.item, checks: claim.item.checks + 1 };
      await list.reschedule(
        claim,
        this.nextCheck(outcome.watching, item.checks, progress, outcome.notBefore),
        item,
      );
    } catch (error) {
      // A session for an account this worker lacks, Redis trouble: try again later rather than drop it.
      log.warn('order watch check failed; will look again', { error: (error as Error).message });
      const item = { ...claim.item, checks: claim.item.checks + 1 };
      await list
        .reschedule(
          claim,
          this.clock.now() + backoffMs(item.checks, this.tuning.unknownFirstMs, this.tuning.unknownMaxMs),
          item,
        )
        .catch(() => undefined); // the lease runs out and another pass takes it
    }
  }

  private sessionOf(accountId: string): ExchangeSession | undefined {
    try {
      return this.options.session(accountId);
    } catch {
      return undefined;
    }
  }

  private nextCheck(
    watching: 'resting' | 'reconciling',
    checks: number,
    progress: { unresolved?: { sentAt: number } },
    notBefore: number | undefined,
  ): number {
    const now = this.clock.now();
    if (notBefore !== undefined) return notBefore;
    if (watching === 'resting') {
      return now + backoffMs(checks, this.tuning.restingFirstMs, this.tuning.restingMaxMs);
    }
    const delay = backoffMs(checks, this.tuning.unknownFirstMs, this.tuning.unknownMaxMs);
    // One last look when the 24 h are over, so that the give-up is recorded.
    const last = (progress.unresolved?.sentAt ?? now) + RECONCILE_FOR_MS;
    return Math.min(now + delay, Math.max(last, now + 1));
  }
}
