import { parseArgs } from 'node:util';
import { CliUsageError } from './cli-usage-error';
import { type TestAlertDeps, runTestAlert } from './test-alert';

export const TEST_ALERT_USAGE = `Usage: npm run test-alert -- --url <webhook URL> (--token <token> | --secret <secret>) [options]
       npm run test-alert -- --url <webhook URL> --key <trader key> --dry-run [options]

  Sends one test alert and, with --api-key, follows it to its final status, printing the timeline.

  --url <url>          e.g. https://my-app.herokuapp.com/webhook
  --token <token>      token mode: one of WEBHOOK_TOKENS (what TradingView sends)
  --secret <secret>    HMAC mode: one of WEBHOOK_SECRETS (Standard Webhooks signature)
  --api-key <key>      a viewer key to follow the signal (GET /api/v1/signals/:id); alias --key
  --dry-run            place nothing: with a trader key the server plans the alert against the live
                       markets and balances (POST /api/v1/signals?dryRun=true) and the orders are printed
  --account <id>       [the first configured account]
  --symbol <symbol>    [BINANCE:BTCUSDT]
  --action <action>    [buy]
  --quantity <n>       [0.001]
  --price <n>          the reference price (required by the offline paper exchange until it saw one)
  --timeout <seconds>  how long to follow [60]

Exit code 0: filled, placed or done (dry run: it would place, or has nothing to do); 1: refused, rejected,
failed, expired or not final in time.`;

/** Parses `argv` and runs the test alert. Throws {@link CliUsageError} for bad arguments. */
export async function runTestAlertCli(argv: string[], deps: TestAlertDeps): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      secret: { type: 'string' },
      'api-key': { type: 'string' },
      key: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      account: { type: 'string' },
      symbol: { type: 'string', default: 'BINANCE:BTCUSDT' },
      action: { type: 'string', default: 'buy' },
      quantity: { type: 'string', default: '0.001' },
      price: { type: 'string' },
      timeout: { type: 'string', default: '60' },
    },
  });
  if (!values.url || !/^https?:\/\//.test(values.url))
    throw new CliUsageError('--url must be the http(s) webhook URL');
  const apiKey = values['api-key'] ?? values.key;
  const planOnly = values['dry-run'] && apiKey !== undefined;
  if (values.token && values.secret) throw new CliUsageError('give exactly one of --token and --secret');
  if (!planOnly && !values.token && !values.secret)
    throw new CliUsageError('give exactly one of --token and --secret (or --key with --dry-run)');
  const timeout = Number(values.timeout);
  if (!(timeout > 0)) throw new CliUsageError('--timeout must be a number of seconds above 0');
  const alert: Record<string, string> = {
    ...(values.account ? { account: values.account } : {}),
    symbol: values.symbol,
    action: values.action,
    quantity: values.quantity,
    ...(values.price ? { price: values.price } : {}),
    comment: 'npm run test-alert',
  };
  return runTestAlert(
    {
      url: values.url,
      token: values.token,
      secret: values.secret,
      apiKey,
      dryRun: values['dry-run'],
      alert,
      timeoutMs: timeout * 1000,
    },
    deps,
  );
}
