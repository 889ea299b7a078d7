import { bybitInstruments } from './bybit-markets';
import { BybitFakeState, bybitError, createOrder, filterOrders, ok } from './bybit-state';
import { orderView, positionList, ticker, wallet } from './bybit-views';
import { routesUnder } from './route-helpers';
import {
  FakeApiError,
  FakeExchangeServer,
  type FakeRoute,
  type RecordedRequest,
} from './fake-exchange-server';

/**
 * Bybit v5 (unified account, one-way mode) on a local server for ccxt's `bybit` class: linear perpetuals are
 * tradable, spot markets are listed. Private endpoints require the `X-BAPI-API-KEY`, `X-BAPI-SIGN` and
 * `X-BAPI-TIMESTAMP` headers (not verified). Errors come as HTTP 200 with a non-zero `retCode`, like the real API.
 * Operation names: `instruments`, `ticker`, `balance`, `positions`, `createOrder`, `openOrders`, `orderHistory`,
 * `cancelAll`, `setLeverage`, `setMarginMode`, `apiKeyInfo`, `accountInfo`, `coinInfo`, `time`.
 */
export class FakeBybit extends FakeExchangeServer {
  readonly exchangeId = 'bybit';
  readonly state = new BybitFakeState();

  protected routes(): FakeRoute[] {
    const s = this.state;
    const route = routesUnder('/v5');
    return [
      route('GET', '/market/time', 'time', false, () =>
        ok({ timeSecond: String(Math.floor(Date.now() / 1000)), timeNano: `${Date.now()}000000` }),
      ),
      route('GET', '/market/instruments-info', 'instruments', false, (p) =>
        ok(bybitInstruments(String(p.category), p.status)),
      ),
      route('GET', '/market/tickers', 'ticker', false, (p) =>
        ok({ category: p.category, list: [ticker(s, String(p.symbol))] }),
      ),
      route('GET', '/user/query-api', 'apiKeyInfo', true, () =>
        ok({
          id: '13770661',
          note: 'test',
          apiKey: 'XXXXXX',
          readOnly: 0,
          secret: '',
          permissions: {
            ContractTrade: ['Order', 'Position'],
            Spot: ['SpotTrade'],
            Wallet: [],
            Options: [],
            Derivatives: [],
            CopyTrading: [],
            BlockTrade: [],
            Exchange: [],
            NFT: [],
          },
          ips: ['*'],
          type: 1,
          deadlineDay: 83,
          expiredAt: '',
          createdAt: '2024-01-01T00:00:00Z',
          unified: 0,
          uta: 1,
          userID: 24600000,
          inviterID: 0,
          vipLevel: 'No VIP',
          mktMakerLevel: '0',
          affiliateID: 0,
          rsaPublicKey: '',
          isMaster: true,
        }),
      ),
      route('GET', '/account/info', 'accountInfo', true, () =>
        ok({
          marginMode: s.marginMode,
          updatedTime: String(Date.now()),
          unifiedMarginStatus: 6,
          dcpStatus: 'OFF',
          timeWindow: 10,
          smpGroup: 0,
          isMasterTrader: false,
          spotHedgingStatus: 'OFF',
        }),
      ),
      route('GET', '/asset/coin/query-info', 'coinInfo', true, () => ok({ rows: [] })),
      route('GET', '/account/wallet-balance', 'balance', true, () => ok({ list: [wallet(s)] })),
      route('GET', '/position/list', 'positions', true, (p) =>
        ok({ category: 'linear', list: positionList(s, p.symbol), nextPageCursor: '' }),
      ),
      route('POST', '/position/set-leverage', 'setLeverage', true, (p) => {
        const leverage = Number(p.buyLeverage);
        if (s.leverage[String(p.symbol)] === leverage) throw bybitError(110043, 'Set leverage not modified');
        s.leverage[String(p.symbol)] = leverage;
        return ok({});
      }),
      route('POST', '/account/set-margin-mode', 'setMarginMode', true, (p) => {
        s.marginMode = p.setMarginMode as BybitFakeState['marginMode'];
        return {
          retCode: 0,
          retMsg: 'Request accepted',
          result: { reasons: [] },
          retExtInfo: {},
          time: Date.now(),
        };
      }),
      route('POST', '/order/create', 'createOrder', true, (p) => {
        const order = createOrder(s, p);
        return ok({ orderId: order.orderId, orderLinkId: order.orderLinkId });
      }),
      route('GET', '/order/realtime', 'openOrders', true, (p) =>
        ok({ category: p.category, list: filterOrders(s, p, true).map(orderView), nextPageCursor: '' }),
      ),
      route('GET', '/order/history', 'orderHistory', true, (p) =>
        ok({ category: p.category, list: filterOrders(s, p, false).map(orderView), nextPageCursor: '' }),
      ),
      route('POST', '/order/cancel-all', 'cancelAll', true, (p) => {
        const open = filterOrders(s, p, true);
        for (const order of open) Object.assign(order, { orderStatus: 'Cancelled', updatedTime: Date.now() });
        return ok({
          list: open.map((o) => ({ orderId: o.orderId, orderLinkId: o.orderLinkId })),
          success: '1',
        });
      }),
    ];
  }

  protected errorAnswer(code: number, msg: string, status: number | undefined): FakeApiError {
    return new FakeApiError(status ?? 200, {
      retCode: code,
      retMsg: msg,
      result: {},
      retExtInfo: {},
      time: Date.now(),
    });
  }

  protected authenticationProblem(request: RecordedRequest): FakeApiError | undefined {
    const h = request.headers;
    if (!h['x-bapi-api-key']) return bybitError(10003, 'API key is invalid.');
    if (!h['x-bapi-sign'] || !h['x-bapi-timestamp']) return bybitError(10004, 'error sign! origin_string[]');
    return undefined;
  }

  /**
   * Bybit's gateway: `server_time - recv_window <= timestamp < server_time + 1000`. Checked on arrival only
   * (Bybit documents no second check); a resend can still never double an order there, because Bybit
   * refuses any reuse of an orderLinkId.
   */
  protected override admissionProblem(request: RecordedRequest): FakeApiError | undefined {
    const timestamp = Number(request.headers['x-bapi-timestamp']);
    if (!Number.isFinite(timestamp)) return undefined;
    const window = Number(request.headers['x-bapi-recv-window'] ?? 5000);
    const now = this.serverNow();
    if (timestamp < now + 1000 && now - window <= timestamp) return undefined;
    return bybitError(10002, 'invalid request, please check your server timestamp or recv_window param');
  }
}
