import {
  type Balances,
  type ExchangeCapabilities,
  type Market,
  type OrderSide,
  type Position,
} from '../../exchange/exchange-session';
import { type Alert } from '../../signals/alert';
import { type PlanStep } from '../../signals/plan-step';

export type { PlanStep };
import { type Precision } from './precision';

/** What the executor fetched before planning (see {@link SnapshotNeeds} for what it must fetch). */
export interface Snapshot {
  /** Free/used/total per currency. Spot: the base is the holding; derivatives: the settle currency is equity. */
  balances?: Balances;
  /** The position in this market (derivatives; one-way mode). */
  position?: Position;
  /** The alert's reference price, else the exchange's last price. */
  price?: number;
}

/** Per-account risk guards the planner enforces. */
export interface RiskLimits {
  /**
   * Largest notional (quote currency) of an order that adds exposure. Orders that only reduce exposure
   * (reduce-only closes, exits, spot sales) are exempt: a guard must never trap a trader in a position.
   * @defaultValue no limit
   */
  maxOrderCost?: number;
}

export interface PlanInput {
  /** The signal id (`sig_<24 hex>`); every client order id derives from it. */
  signalId: string;
  alert: Alert;
  market: Market;
  snapshot: Snapshot;
  capabilities: ExchangeCapabilities;
  /** Rounds to the market's rules; amounts must truncate (ccxt `amountToPrecision`). */
  precision: Precision;
  risk: RiskLimits;
}

/** Codes the planner rejects with; the reason text says what to change in the alert or the account. */
export type PlanRejectCode =
  | 'snapshot_incomplete'
  | 'position_mismatch'
  | 'market_inactive'
  | 'market_incomplete'
  | 'not_supported'
  | 'not_supported_on_spot'
  | 'spot_short'
  | 'action_required'
  | 'contradictory_signal'
  | 'quantity_required'
  | 'invalid_quantity_type'
  | 'price_required'
  | 'no_position'
  | 'nothing_to_reverse'
  | 'invalid_price'
  | 'insufficient_balance'
  | 'below_min_amount'
  | 'above_max_amount'
  | 'below_min_cost'
  | 'max_order_cost'
  | 'tp_sl_wrong_side'
  | 'tp_sl_not_supported'
  | 'leverage_not_supported'
  | 'precision_error';

/** Why a signal is refused. `code` is a string because the caller adds its own codes (`unknown_symbol`). */
export interface Rejection {
  ok: false;
  code: string;
  reason: string;
}

/**
 * The planner's answer. An `ok` plan with no steps means there is nothing to do (already at the target,
 * nothing to close); `notes` then say why, and also mention anything the alert asked for that was left out.
 */
export type Plan = { ok: true; steps: PlanStep[]; notes?: string[] } | Rejection;

export const reject = (code: PlanRejectCode, reason: string): Rejection => ({ ok: false, code, reason });

export const isRejection = (value: unknown): value is Rejection =>
  typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;

/**
 * An order the plan wants, before precision and exchange checks.
 * @internal shared by the spot and derivatives planners and {@link buildOrders}.
 */
export interface RawLeg {
  /** `close` lowers exposure, `open` adds it; part of the client order id. */
  leg: 'open' | 'close';
  side: OrderSide;
  /** Contracts on derivatives, base units on spot; not yet rounded. */
  amount: number;
  /**
   * Lowers exposure: reduce-only on derivatives (exempt from min cost, as Binance and Bybit exempt
   * reduce-only orders), a sale of holdings on spot. Exempt from `maxOrderCost`.
   */
  reduces: boolean;
  /**
   * Below the market minimum: `reject` the signal (the trader asked for this size), or `skip` the leg
   * with a note (spot dust, a positionSize adjustment too small to trade: already as close as possible).
   */
  belowMin: 'reject' | 'skip';
}

/** The legs of a signal in execution order (closing legs first), with notes on what was left out. */
export interface LegPlan {
  legs: RawLeg[];
  notes: string[];
}

/** Everything the leg planners and order builders share for one signal. */
export interface PlanContext {
  input: PlanInput;
  derivative: boolean;
  /** The limit price after precision, for limit orders. */
  limitPrice?: number;
  /** Sizing, cost checks and percent TP/SL use this: the limit price, else the snapshot's price. */
  refPrice?: number;
  /** Notes the sizing adds (unit conversions); the planner returns them with the plan's. */
  notes: string[];
}
