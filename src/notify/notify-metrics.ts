import { Counter, Histogram, type Registry } from 'prom-client';

/** What a finished attempt means for its delivery (the `outcome` label). */
export type AttemptOutcome = 'succeeded' | 'retrying' | 'failed' | 'dead';

/**
 * Notification metrics, registered on the worker's registry (pushed to Redis and served by the web's
 * `/metrics` like every worker metric). Queue depth comes with the `notifications` queue's entry in the
 * queue catalog.
 */
export class NotifyMetrics {
  private readonly outcomes: Counter<'outcome'>;
  private readonly latency: Histogram<'outcome'>;

  constructor(registry: Registry) {
    this.outcomes = new Counter({
      name: 'tradehook_notification_attempts_total',
      help: 'Notification delivery attempts, by what they meant for their delivery (succeeded, retrying, failed, dead).',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.latency = new Histogram({
      name: 'tradehook_notification_attempt_seconds',
      help: 'Duration of notification delivery attempts, connection to last byte read.',
      labelNames: ['outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
      registers: [registry],
    });
  }

  attempted(outcome: AttemptOutcome, durationMs: number): void {
    this.outcomes.inc({ outcome });
    this.latency.observe({ outcome }, Math.max(0, durationMs) / 1000);
  }
}
