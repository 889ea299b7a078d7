import { type EventLog, newEvent } from '../events/event-log';

/**
 * Turns an account's circuit-breaker changes into `account.breaker_opened` / `account.breaker_closed`
 * events: one when calls stop (open, isolated) and one when they work again (closed). Half-open is a trial
 * call, not news; a failed trial (half-open → open) publishes nothing new. Each worker process has its own
 * breakers, so `workerId` says whose.
 */
export class BreakerEvents {
  private readonly last = new Map<string, 'opened' | 'closed'>();

  constructor(
    private readonly events: EventLog,
    private readonly workerId: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a state change; appends the event when it is one. */
  async changed(accountId: string, state: string): Promise<void> {
    const kind =
      state === 'closed' ? 'closed' : state === 'open' || state === 'isolated' ? 'opened' : undefined;
    if (!kind || kind === (this.last.get(accountId) ?? 'closed')) return;
    this.last.set(accountId, kind);
    await this.events.append(
      newEvent(
        kind === 'opened' ? 'account.breaker_opened' : 'account.breaker_closed',
        { account: accountId, state, workerId: this.workerId },
        this.now(),
      ),
    );
  }
}
