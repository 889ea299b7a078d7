import ccxt from 'ccxt';
import { type Redis } from 'ioredis';
import { type AccountConfig, PAPER_EXCHANGE } from '../config/accounts';
import { ConfigError } from '../errors/config-error';
import { type Logger } from '../observability/logger';
import { type RedisKeys } from '../redis/keys';
import { CcxtSession } from './ccxt/ccxt-session';
import { type ExchangeSession } from './exchange-session';
import { PaperExchange } from './paper/paper-exchange';
import { type BreakerState, type ExchangePolicyOptions } from './policies/exchange-policy';

export interface SessionRegistryOptions {
  accounts: AccountConfig[];
  redis: Redis;
  keys: RedisKeys;
  paperBalances: Record<string, number>;
  /** Fee rate of the paper exchanges (`PAPER_FEE_RATE`). @defaultValue 0.001 */
  paperFeeRate?: number;
  logger: Logger;
  /** Tuning of every account's policies (tests shorten them). */
  policy?: ExchangePolicyOptions;
  /** Background market refresh. @defaultValue 15 minutes */
  refreshIntervalMs?: number;
  /** Called whenever an account's circuit breaker changes state (the worker publishes it at once). */
  onBreakerChange?: (accountId: string, state: BreakerState) => void;
}

/** The session the worker uses for one account, and where its markets and breaker come from. */
interface Entry {
  session: ExchangeSession;
  ccxt?: CcxtSession;
}

/**
 * One cached exchange session per account, built once at worker start: a ccxt session (markets loaded at
 * warm-up, refreshed in the background), the paper simulator over such a session (`paper: true`), or the
 * offline paper exchange. Exchange keys live only inside these sessions, in this process.
 */
export class SessionRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: SessionRegistryOptions) {
    const unknown = options.accounts.filter(
      (a) => a.exchange !== PAPER_EXCHANGE && !ccxt.exchanges.includes(a.exchange),
    );
    if (unknown.length > 0) {
      throw new ConfigError(
        unknown.map((a) => `account "${a.id}": "${a.exchange}" is neither a ccxt exchange id nor "paper"`),
      );
    }
    for (const account of options.accounts) this.entries.set(account.id, this.build(account));
  }

  private build(account: AccountConfig): Entry {
    const { redis, keys, paperBalances, paperFeeRate, logger } = this.options;
    const paper = (marketSource?: CcxtSession) =>
      new PaperExchange({
        accountId: account.id,
        redis,
        bookKey: keys.paperBook(account.id),
        ordersKey: keys.paperOrders(account.id),
        startingBalances: paperBalances,
        feeRate: paperFeeRate,
        marketSource,
        onOrderEnded: (order) =>
          logger.info(order.status === 'closed' ? 'paper order filled' : `paper order ${order.status}`, {
            account: account.id,
            clientOrderId: order.clientOrderId,
            symbol: order.symbol,
            side: order.side,
            type: order.type,
            filled: order.filled,
            average: order.average,
          }),
      });
    if (account.exchange === PAPER_EXCHANGE) return { session: paper() };
    const ccxt = new CcxtSession({
      account,
      policy: this.options.policy,
      log: (entry) =>
        logger[entry.level](entry.message, { account: entry.accountId, exchange: entry.exchangeId }),
    });
    ccxt.policy.onStateChange((state) => {
      logger[state === 'closed' ? 'info' : 'warn']('circuit breaker changed', { account: account.id, state });
      this.options.onBreakerChange?.(account.id, state);
    });
    return account.paper ? { session: paper(ccxt), ccxt } : { session: ccxt, ccxt };
  }

  get(accountId: string): ExchangeSession {
    const entry = this.entries.get(accountId);
    if (!entry) throw new Error(`no session for account "${accountId}"`);
    return entry.session;
  }

  /** What an unmarked symbol means for the account: its own setting, else its exchange class's default. */
  defaultType(account: AccountConfig): 'spot' | 'swap' {
    return account.defaultType ?? this.entries.get(account.id)?.ccxt?.defaultType ?? 'spot';
  }

  /** Each ccxt account's breaker state, for `/ready` and the logs. */
  breakerStates(): Record<string, BreakerState> {
    const states: Record<string, BreakerState> = {};
    for (const [id, entry] of this.entries) if (entry.ccxt) states[id] = entry.ccxt.policy.breakerState;
    return states;
  }

  /**
   * Loads every account's markets before the first job, so no order waits for a cold load, then keeps
   * them fresh in the background. An account whose exchange cannot be reached is logged, not fatal: its
   * signals fail over to the session's own lazy load and the breaker.
   */
  async warmUp(): Promise<void> {
    await Promise.all(
      [...this.entries.entries()].map(async ([id, entry]) => {
        try {
          await entry.session.markets();
        } catch (error) {
          this.options.logger.error('market warm-up failed', {
            account: id,
            error: (error as Error).message,
          });
        }
        entry.ccxt?.startRefresh(this.options.refreshIntervalMs ?? 15 * 60_000);
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => e.session.close()));
  }
}
