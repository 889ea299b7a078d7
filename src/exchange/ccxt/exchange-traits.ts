/**
 * How exchanges differ, as DATA (cf. freqtrade's `_ft_has`): one row per ccxt id, a generic fallback for the
 * rest. Anything ccxt already reports (`exchange.has`, `exchange.features`) is read from ccxt instead.
 */

/** How to find an order by its client order id. */
export type ClientIdLookup =
  /** `fetchOrder(_, symbol, { [param]: clientOrderId })`: one exact request. */
  | { kind: 'fetchOrder'; param: string }
  /**
   * Open orders, then canceled-and-closed orders, each list filtered server side by `param` (and again client
   * side). For exchanges whose `fetchOrder` cannot take a client id or only sees recent orders.
   */
  | { kind: 'filteredLists'; param: string }
  /** Open orders, then closed orders, compared client side: works anywhere, but only within what lists return. */
  | { kind: 'scan' };

/**
 * How the exchange bounds the time during which it still accepts a signed request (docs/contract.md
 * "Execution": a lookup proves an order absent only once the request can no longer be accepted).
 */
export type ReceiveWindow =
  /**
   * A window relative to the request's signed timestamp, set through a ccxt option (Binance `recvWindow`,
   * Bybit `recvWindow` → `X-BAPI-RECV-WINDOW`). `maxMs` is the largest the exchange allows, `defaultMs` what
   * ccxt sends unless told otherwise.
   */
  | { kind: 'relative'; option: string; defaultMs: number; maxMs: number }
  /** An absolute deadline header (OKX `expTime`, epoch ms): the exchange drops the request after it. */
  | { kind: 'deadlineHeader'; header: string }
  /** No window: a request may be executed whenever it arrives; absence is assumed after a grace period. */
  | { kind: 'none' };

export interface ExchangeTraits {
  clientIdLookup: ClientIdLookup;
  receiveWindow: ReceiveWindow;
  /**
   * How far ahead of the exchange's clock a request's timestamp may be and still be accepted (Binance and
   * Bybit: 1 s; OKX: 30 s). With our clock that far ahead, a request is accepted that much later than our
   * clock says: every wait for a window to pass adds this.
   */
  clockToleranceMs: number;
  /**
   * Conditional (trigger / stop / take-profit) orders of CONTRACT markets live in a separate book that is
   * reached with ccxt's `{ trigger: true }` param (Binance USDⓈ-M algo orders, Bybit `StopOrder`, OKX algo).
   * Lookups and cancel-all then search that book as well.
   */
  separateTriggerBook: boolean;
  /**
   * Answers to setLeverage / setMarginMode that mean "already so": success, not an error. Matched against
   * the exchange's message (ccxt puts the raw body there). ccxt's `NoChange` class is always accepted too.
   */
  alreadySet: RegExp[];
  /** Answers to cancel-all that mean "there was nothing to cancel". */
  nothingToCancel: RegExp[];
  /** `fetchPositions` reads the market type from `options.defaultType` instead of the symbols: pass it along. */
  positionsNeedMarketType: boolean;
}

const BINANCE: ExchangeTraits = {
  // origClientOrderId on spot and USDⓈ-M; for conditional orders ccxt maps it to clientAlgoId itself.
  clientIdLookup: { kind: 'fetchOrder', param: 'origClientOrderId' },
  // Checked at the gateway AND again by the matching engine (-5028): a request stuck inside Binance past
  // its window is refused rather than executed late.
  receiveWindow: { kind: 'relative', option: 'recvWindow', defaultMs: 10_000, maxMs: 60_000 },
  clockToleranceMs: 1_000,
  separateTriggerBook: true,
  // -4046 "No need to change margin type."; -4059 "No need to change position side."
  alreadySet: [/"code":\s*-4046\b/, /"code":\s*-4059\b/, /No need to change/i],
  // -2011 "Unknown order sent." is what spot answers to DELETE /openOrders when none are open.
  nothingToCancel: [/"code":\s*-2011\b/],
  positionsNeedMarketType: true,
};

const BYBIT: ExchangeTraits = {
  // Unified accounts: fetchOrder only sees the last 500 orders and refuses without `acknowledged`, while
  // /v5/order/realtime and /v5/order/history both filter by orderLinkId.
  clientIdLookup: { kind: 'filteredLists', param: 'orderLinkId' },
  // Checked at the gateway; Bybit also refuses any reuse of an orderLinkId (filled or not), so a resend
  // can never become a second order there.
  receiveWindow: { kind: 'relative', option: 'recvWindow', defaultMs: 5_000, maxMs: 60_000 },
  clockToleranceMs: 1_000,
  separateTriggerBook: true,
  // 110043 "Set leverage not modified"; 110026 "Cross/isolated margin mode is not modified";
  // 110025 "Position mode is not modified".
  alreadySet: [/"retCode":\s*110043\b/, /"retCode":\s*110026\b/, /"retCode":\s*110025\b/, /not modified/i],
  nothingToCancel: [],
  positionsNeedMarketType: false,
};

const OKX: ExchangeTraits = {
  clientIdLookup: { kind: 'fetchOrder', param: 'clOrdId' },
  receiveWindow: { kind: 'deadlineHeader', header: 'expTime' },
  // OKX refuses a request whose OK-ACCESS-TIMESTAMP is more than 30 s off its clock.
  clockToleranceMs: 30_000,
  separateTriggerBook: true,
  // 59000 "Settings failed. Close any open positions or orders before modifying settings." is NOT "already set".
  alreadySet: [/leverage.*not.*changed/i],
  nothingToCancel: [],
  positionsNeedMarketType: false,
};

const GENERIC: ExchangeTraits = {
  clientIdLookup: { kind: 'scan' },
  receiveWindow: { kind: 'none' },
  clockToleranceMs: 0,
  separateTriggerBook: false,
  // Deliberately narrow: "already" alone also appears in refusals ("position already open, cannot change").
  alreadySet: [/not modified/i, /no need to change/i],
  nothingToCancel: [],
  positionsNeedMarketType: false,
};

const TRAITS: Record<string, ExchangeTraits> = {
  binance: BINANCE,
  binanceusdm: BINANCE,
  binancecoinm: BINANCE,
  bybit: BYBIT,
  okx: OKX,
  myokx: OKX,
  okxus: OKX,
};

/** The traits of a ccxt exchange id; unknown ids get the generic, slower but safe behaviour. */
export function exchangeTraits(exchangeId: string): ExchangeTraits {
  return TRAITS[exchangeId] ?? GENERIC;
}
