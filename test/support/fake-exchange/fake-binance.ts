import { binanceCoinmRoutes } from './binance-coinm-routes';
import { binanceSpotRoutes } from './binance-spot-routes';
import { BinanceFakeState, binanceError } from './binance-state';
import { binanceUsdmRoutes } from './binance-usdm-routes';
import {
  type FakeApiError,
  FakeExchangeServer,
  type FakeRoute,
  type RecordedRequest,
} from './fake-exchange-server';

export interface FakeBinanceOptions {
  /**
   * More USDT spot pairs to list beside BTCUSDT and ETHUSDT (keys of `EXTRA_SPOT_LISTINGS`, e.g. `SOLUSDT`),
   * with realistic filters and prices. @defaultValue none
   */
  extraSymbols?: readonly string[];
  /**
   * Spot pairs listed as suspended (status BREAK): ccxt marks them inactive, new orders are refused, open
   * orders stay until canceled. @defaultValue none
   */
  suspendedSymbols?: readonly string[];
}

/**
 * Binance spot (`/api/v3`), USDⓈ-M futures (`/fapi`) and COIN-M futures (`/dapi`, the inverse BTCUSD_PERP of
 * 100 USD contracts) on one local server, sharing one account, for ccxt's `binance` (spot and futures
 * markets) and `binanceusdm` classes. Private endpoints require the HMAC
 * `signature` parameter and the `X-MBX-APIKEY` header (not verified: their presence proves ccxt signed).
 * Operation names for `failNext`/`requestsFor`: `exchangeInfo` (spot), `usdmExchangeInfo`, `coinmExchangeInfo`, `ticker`, `balance`, `positions`,
 * `createOrder`, `queryOrder`, `queryAlgoOrder`, `openOrders`, `openAlgoOrders`, `cancelAll`, `cancelAllAlgo`,
 * `setLeverage`, `setMarginMode`, `leverageBracket`, `time`.
 */
export class FakeBinance extends FakeExchangeServer {
  readonly exchangeId: string;
  readonly state = new BinanceFakeState();
  private readonly table: FakeRoute[];

  /** @param exchangeId `binance` (default) or `binanceusdm`. */
  constructor(exchangeId: 'binance' | 'binanceusdm' = 'binance', options: FakeBinanceOptions = {}) {
    super();
    this.exchangeId = exchangeId;
    this.state.listSpotSymbols(options.extraSymbols ?? []);
    for (const symbol of options.suspendedSymbols ?? []) this.state.suspendedSpotSymbols.add(symbol);
    this.table = [
      ...binanceSpotRoutes(this.state),
      ...binanceUsdmRoutes(this.state),
      // ccxt `binance` loads COIN-M markets too: BTCUSD_PERP, an inverse contract of 100 USD.
      ...binanceCoinmRoutes(this.state),
    ];
  }

  protected routes(): FakeRoute[] {
    return this.table;
  }

  protected errorAnswer(code: number, msg: string, status: number | undefined): FakeApiError {
    return binanceError(code, msg, status ?? 400);
  }

  protected authenticationProblem(request: RecordedRequest): FakeApiError | undefined {
    if (!request.headers['x-mbx-apikey'])
      return binanceError(-2015, 'Invalid API-key, IP, or permissions for action.', 401);
    if (!request.params.signature) {
      return binanceError(
        -1102,
        "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.",
      );
    }
    if (!request.params.timestamp) {
      return binanceError(
        -1102,
        "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.",
      );
    }
    return undefined;
  }

  protected override signedTimestamp(request: RecordedRequest): number | undefined {
    const timestamp = Number(request.params.timestamp);
    return Number.isFinite(timestamp) ? timestamp : undefined;
  }

  /** Binance's gateway: `timestamp < serverTime + 1000 && serverTime - timestamp <= recvWindow` (default 5000). */
  protected override admissionProblem(request: RecordedRequest): FakeApiError | undefined {
    return this.outsideWindow(request, -1021, 'Timestamp for this request is outside of the recvWindow.');
  }

  /** Binance's matching engine checks the window again when it gets to an order (-5028). */
  protected override executionProblem(request: RecordedRequest): FakeApiError | undefined {
    if (request.operation !== 'createOrder') return undefined;
    return this.outsideWindow(request, -5028, 'Timestamp for this request is outside of the ME recvWindow.');
  }

  private outsideWindow(request: RecordedRequest, code: number, msg: string): FakeApiError | undefined {
    const timestamp = Number(request.params.timestamp);
    if (!Number.isFinite(timestamp)) return undefined; // authenticationProblem answers that
    const recvWindow = Number(request.params.recvWindow ?? 5000);
    const now = this.serverNow();
    return timestamp < now + 1000 && now - timestamp <= recvWindow ? undefined : binanceError(code, msg);
  }
}
