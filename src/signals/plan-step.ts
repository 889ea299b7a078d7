import { type OrderIntent } from './order-intent';

/**
 * One thing the executor does, in order. Steps never depend on the result of an earlier step: a plan is
 * decided in full before anything is sent, so a rejection sends nothing.
 */
export type PlanStep =
  | { kind: 'cancel_open'; symbol: string }
  | { kind: 'set_margin_mode'; symbol: string; mode: 'isolated' | 'cross' }
  | { kind: 'set_leverage'; symbol: string; leverage: number }
  | { kind: 'order'; intent: OrderIntent };
