import type { AccountConfig } from '../../../src/config/accounts';
import { CcxtSession, type SessionLogEntry } from '../../../src/exchange/ccxt/ccxt-session';
import type { ExchangePolicyOptions } from '../../../src/exchange/policies/exchange-policy';
import type { FakeExchangeServer } from './fake-exchange-server';
import { makeCcxtAccount } from './make-ccxt-account';

export { FakeBinance } from './fake-binance';
export { FakeBybit } from './fake-bybit';
export { FakeExchangeServer } from './fake-exchange-server';
export type { RecordedRequest } from './fake-exchange-server';
export { makeCcxtAccount } from './make-ccxt-account';

/** Policies with millisecond delays, so that retry and breaker tests run fast. */
export const FAST_POLICY: ExchangePolicyOptions = {
  timeoutMs: 2_000,
  maxAttempts: 3,
  initialDelayMs: 1,
  maxDelayMs: 10,
  breakerThreshold: 5,
  halfOpenAfterMs: 200,
};

export interface SessionUnderTest<F extends FakeExchangeServer> {
  fake: F;
  session: CcxtSession;
  logs: SessionLogEntry[];
  close(): Promise<void>;
}

/** Starts `fake`, builds a real ccxt session pointed at it, and returns both with one `close()`. */
export async function startSession<F extends FakeExchangeServer>(
  fake: F,
  account: Partial<AccountConfig> = {},
  policy: ExchangePolicyOptions = FAST_POLICY,
): Promise<SessionUnderTest<F>> {
  await fake.start();
  const logs: SessionLogEntry[] = [];
  const session = new CcxtSession({
    account: makeCcxtAccount(fake, account),
    policy,
    log: (entry) => logs.push(entry),
  });
  return {
    fake,
    session,
    logs,
    close: async () => {
      await session.close();
      await fake.close();
    },
  };
}
