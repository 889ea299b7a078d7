import { type ExchangeOrder, type Position } from '../../exchange/exchange-session';
import { type PlanStep } from '../../signals/plan-step';
import { clientOrderId } from './client-order-id';

/** What the flatten plan answers: its steps and what a trader should know. */
export interface FlattenPlan {
  steps: PlanStep[];
  notes: string[];
}

/**
 * The panic button's plan for one account (pure): cancel the open orders of every symbol that has any, then
 * close every derivatives position with a reduce-only market order of its whole size. Spot holdings are not
 * positions and are left alone. Each close is leg `fl<n>` (n by symbol order), so its client order id is
 * fixed by the plan: the plan is saved before anything is sent, and a re-run performs the same steps.
 */
export function planFlatten(input: {
  signalId: string;
  openOrders: readonly ExchangeOrder[];
  positions: readonly Position[];
}): FlattenPlan {
  const symbols = [...new Set(input.openOrders.map((o) => o.symbol))].sort();
  const cancels: PlanStep[] = symbols.map((symbol) => ({ kind: 'cancel_open', symbol }));
  const open = input.positions
    .filter((p) => p.contracts !== 0)
    .sort((a, b) => a.symbol.localeCompare(b.symbol));
  const closes: PlanStep[] = open.map((position, n) => ({
    kind: 'order',
    intent: {
      leg: `fl${n}`,
      clientOrderId: clientOrderId(input.signalId, `fl${n}`),
      symbol: position.symbol,
      side: position.contracts > 0 ? 'sell' : 'buy',
      type: 'market',
      amount: Math.abs(position.contracts),
      reduceOnly: true,
    },
  }));
  const notes = [
    symbols.length === 0
      ? 'flatten: no open orders'
      : `flatten: canceling ${input.openOrders.length} open order${input.openOrders.length === 1 ? '' : 's'} on ${symbols.join(', ')}`,
    open.length === 0
      ? 'flatten: no derivatives position open'
      : `flatten: closing ${open.map((p) => `${p.side} ${Math.abs(p.contracts)} ${p.symbol}`).join(', ')} reduce-only at market`,
    'flatten: spot holdings are left alone',
  ];
  return { steps: [...cancels, ...closes], notes };
}
