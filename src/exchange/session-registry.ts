import { Redis } from 'ioredis';
import { AccountConfig, PAPER_EXCHANGE } from '../config/accounts';
import { ConfigError } from '../errors/config-error';
import { RedisKeys } from '../redis/keys';
import { ExchangeSession } from './exchange-session';
import { PaperExchange } from './paper/paper-exchange';

export interface SessionRegistryOptions {
  accounts: AccountConfig[];
  redis: Redis;
  keys: RedisKeys;
  paperBalances: Record<string, number>;
}

/** One cached exchange session per account, built at worker start and closed on shutdown. */
export class SessionRegistry {
  private readonly sessions = new Map<string, ExchangeSession>();

  constructor(options: SessionRegistryOptions) {
    const problems: string[] = [];
    for (const account of options.accounts) {
      if (account.exchange === PAPER_EXCHANGE) {
        this.sessions.set(
          account.id,
          new PaperExchange({
            accountId: account.id,
            redis: options.redis,
            balancesKey: options.keys.paperBalances(account.id),
            ordersKey: options.keys.paperOrders(account.id),
            startingBalances: options.paperBalances,
          }),
        );
      } else {
        problems.push(
          `account "${account.id}": exchange "${account.exchange}" is not supported by this worker`,
        );
      }
    }
    if (problems.length > 0) throw new ConfigError(problems);
  }

  get(accountId: string): ExchangeSession {
    const session = this.sessions.get(accountId);
    if (!session) throw new Error(`no session for account "${accountId}"`);
    return session;
  }

  /** Loads every account's markets before the first job, so no order waits for a cold load. */
  async warmUp(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.markets()));
  }

  async close(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.close()));
  }
}
