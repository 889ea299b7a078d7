import { timenow } from './test-app';

/**
 * A webhook body as TradingView sends it: a market buy of 1 BTCUSDT with the test token, stamped now,
 * under the alert id `id` (its nonce); `extra` overrides or adds fields.
 */
export const webhookAlert = (id: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    token: 'test-token-1',
    timestamp: timenow(),
    id,
    symbol: 'BTCUSDT',
    action: 'buy',
    quantity: 1,
    ...extra,
  });
