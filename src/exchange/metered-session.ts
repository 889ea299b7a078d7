import { type ExecutionObserver, slippageBps } from '../observability/execution-observer';
import { type ExchangeOrder, type ExchangeSession, type OrderIntent } from './exchange-session';

/** The session methods that are exchange calls (markets are cached: not a call). */
const CALLS: ReadonlySet<string> = new Set([
  'fetchBalance',
  'fetchPosition',
  'fetchPositions',
  'fetchOpenOrders',
  'fetchPrice',
  'createOrder',
  'findOrder',
  'cancelOpenOrders',
  'setLeverage',
  'setMarginMode',
]);

export interface MeterContext {
  observer: ExecutionObserver;
  account: string;
  /** When the signal was received (epoch ms): alert → order-sent latency counts from it. */
  receivedAt: number;
  /** The alert's reference price, for the slippage of fills. */
  alertPrice?: number;
  /** @defaultValue Date.now */
  now?: () => number;
}

/**
 * One signal's view of an account's session that reports to the metrics: every exchange call's duration and
 * error (code and kind), each order sent (latency since the alert was received) and each fill's slippage
 * against the alert's price. Everything else (properties, optional methods) is the session's own.
 */
export function meteredSession<S extends ExchangeSession>(session: S, ctx: MeterContext): S {
  const now = ctx.now ?? Date.now;
  return new Proxy(session, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !CALLS.has(property) || typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]) => {
        const started = now();
        if (property === 'createOrder')
          ctx.observer.orderSent({ account: ctx.account, sinceReceivedMs: started - ctx.receivedAt });
        try {
          const result = await method.apply(target, args);
          ctx.observer.exchangeCall({ account: ctx.account, call: property, durationMs: now() - started });
          if (property === 'createOrder') reportFill(ctx, args[0] as OrderIntent, result as ExchangeOrder);
          return result;
        } catch (error) {
          const e = error as { code?: unknown; kind?: unknown };
          ctx.observer.exchangeCall({
            account: ctx.account,
            call: property,
            durationMs: now() - started,
            errorCode: typeof e.code === 'string' ? e.code : 'unexpected',
            errorKind: typeof e.kind === 'string' ? e.kind : 'permanent',
          });
          throw error;
        }
      };
    },
  });
}

function reportFill(ctx: MeterContext, intent: OrderIntent, order: ExchangeOrder): void {
  const reference = ctx.alertPrice;
  if (reference === undefined || !(order.filled > 0) || order.average === undefined) return;
  ctx.observer.orderFilled({
    account: ctx.account,
    side: intent.side,
    slippageBps: slippageBps({ side: intent.side, reference, average: order.average }),
  });
}
