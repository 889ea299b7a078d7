import { type ExchangeOrder } from '../exchange/exchange-session';
import { type PlanStep } from '../signals/plan-step';
import { placeOnce } from './order-placement';
import { type ExecutionAccount, planOnSession } from './plan-on-session';
import { type Plan } from './planning/plan-signal';
import { type RunContext, timed } from './run-context';

export type { RunContext, RunSession } from './run-context';

export type { ExecutionAccount } from './plan-on-session';

/**
 * One signal's work against one exchange session: plan (once), then perform the steps not yet done. An
 * order is looked up by its client id before it is sent whenever it may have been sent before, so
 * performing a step twice places nothing twice.
 */
export class SignalRun {
  constructor(private readonly ctx: RunContext) {}

  /** Plans the signal, unless an earlier run already did (the plan is then reused as it was). */
  async plan(account: ExecutionAccount): Promise<Plan> {
    const { progress } = this.ctx;
    if (progress.steps) return { ok: true, steps: progress.steps };
    const { signal, session } = this.ctx;
    const { plan } = await planOnSession({
      signalId: signal.id,
      alert: signal.alert,
      account,
      session,
      timed: (name, fn) => timed(this.ctx, name, fn),
      observePrice: session.observePrice?.bind(session),
    });
    if (plan.ok) {
      progress.steps = plan.steps;
      if (plan.notes?.length) {
        progress.notes = [...(progress.notes ?? []), ...plan.notes];
        this.ctx.log.info('plan notes', { notes: plan.notes });
      }
      // A plan that opens with an order is made durable with that order's send record, one write later:
      // nothing happens at the exchange before it, and a run that dies meanwhile just plans again.
      if (plan.steps[0]?.kind !== 'order') await this.ctx.save();
    }
    return plan;
  }

  /**
   * Performs the remaining steps, saving progress after each. With `mayOpen: false` (the signal expired
   * while an order's fate was unknown) orders are only looked up, never sent.
   */
  async perform(options: { mayOpen: boolean }): Promise<void> {
    const { progress } = this.ctx;
    const steps = progress.steps ?? [];
    while (progress.stepsDone < steps.length) {
      await this.performStep(steps[progress.stepsDone], options.mayOpen);
      progress.stepsDone += 1;
      await this.ctx.save();
    }
  }

  private async performStep(step: PlanStep, mayOpen: boolean): Promise<void> {
    const { session, log } = this.ctx;
    switch (step.kind) {
      case 'cancel_open': {
        const canceled = await timed(this.ctx, 'cancelOpenOrders', () =>
          session.cancelOpenOrders(step.symbol),
        );
        log.info('open orders canceled', { symbol: step.symbol, count: canceled.length });
        this.note(cancelNote(step.symbol, canceled));
        return;
      }
      case 'set_leverage':
        await timed(this.ctx, 'setLeverage', () => session.setLeverage(step.symbol, step.leverage));
        log.info('leverage set', { symbol: step.symbol, leverage: step.leverage });
        return;
      case 'set_margin_mode':
        await timed(this.ctx, 'setMarginMode', () => session.setMarginMode(step.symbol, step.mode));
        log.info('margin mode set', { symbol: step.symbol, mode: step.mode });
        return;
      case 'order':
        await placeOnce(this.ctx, step.intent, mayOpen);
        return;
      default: {
        const unknown: never = step;
        throw new Error(`unknown plan step ${JSON.stringify(unknown)}`);
      }
    }
  }

  private note(text: string): void {
    const notes = (this.ctx.progress.notes ??= []);
    if (!notes.includes(text)) notes.push(text);
  }
}

/** What a cancel did, in words: the orders it canceled, or that there were none. */
function cancelNote(symbol: string, canceled: ExchangeOrder[]): string {
  if (canceled.length === 0) return `cancel: no open orders on ${symbol}; nothing to cancel`;
  const ids = canceled.map((o) => o.clientOrderId ?? o.id).join(', ');
  return `cancel: ${canceled.length} open order${canceled.length === 1 ? '' : 's'} canceled on ${symbol} (${ids})`;
}
