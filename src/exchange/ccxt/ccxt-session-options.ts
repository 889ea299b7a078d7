import type { Exchange } from 'ccxt';
import type { AccountConfig } from '../../config/accounts';
import type { AppError } from '../../errors/app-error';
import type { ExchangePolicy, ExchangePolicyOptions } from '../policies/exchange-policy';
import type { ExchangeTraits } from './exchange-traits';

/** One line about the session's background work (refreshes), for the app's logger. */
export interface SessionLogEntry {
  level: 'info' | 'warn';
  event: 'markets_refreshed' | 'markets_refresh_failed';
  message: string;
  accountId: string;
  exchangeId: string;
  error?: AppError;
}

export interface CcxtSessionOptions {
  account: AccountConfig;
  /** The account's policies, or options to build them. @defaultValue `new ExchangePolicy()` */
  policy?: ExchangePolicy | ExchangePolicyOptions;
  /** Receives background events (a failed refresh is otherwise silent by design). @defaultValue no-op */
  log?: (entry: SessionLogEntry) => void;
  /** A prebuilt ccxt exchange (tests, or a custom subclass). @defaultValue built from `account` */
  exchange?: Exchange;
  /**
   * How this exchange differs from the others (a custom subclass, or a test of the generic behaviour).
   * @defaultValue the traits table's row for the exchange's id
   */
  traits?: ExchangeTraits;
}
