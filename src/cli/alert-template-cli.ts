import { parseArgs } from 'node:util';
import {
  MODES,
  type Mode,
  RECIPES,
  type Recipe,
  type TemplateOptions,
  renderTemplate,
} from './alert-templates';
import { CliUsageError } from './cli-usage-error';

export const ALERT_TEMPLATE_USAGE = `Usage: npm run alert-template -- --mode token|hmac --recipe <recipe> --account <id> [options]

  Prints a ready-to-paste TradingView alert message and the webhook URL.

  --recipe strategy      a Pine strategy's order fills ({{strategy.order.action}}, {{strategy.order.contracts}})
           signal        an indicator's long/short/flat alert as a sentiment (--sentiment, --quantity)
           quote-entry   a buy of a fixed quote value (--quote 100 = 100 USDT)
           close-all     closes the symbol's whole position
           target        the strategy's position as a target ({{strategy.position_size}})
  --mode   token         the token goes into the message (TradingView)
           hmac          no token: the sender signs (Standard Webhooks headers)
  --account <id>         the account to trade on
  --url <url>            your server, e.g. https://my-app.herokuapp.com [http://localhost:3000]
  --token <token>        token mode: one of WEBHOOK_TOKENS [the first of $WEBHOOK_TOKENS]
  --sentiment long|short|flat, --quantity <base units>, --quote <quote value>
  --json                 print { url, message, notes } as JSON`;

const SENTIMENTS = ['long', 'short', 'flat'] as const;

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T {
  if (value === undefined || !(allowed as readonly string[]).includes(value))
    throw new CliUsageError(`--${name} must be one of: ${allowed.join(', ')}`);
  return value as T;
}

/**
 * Runs `alert-template` with `argv`; `env` supplies the default token and port. Returns what to print.
 * Throws {@link CliUsageError} for bad arguments.
 */
export function runAlertTemplateCli(argv: string[], env: NodeJS.ProcessEnv = {}): string {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      mode: { type: 'string' },
      recipe: { type: 'string' },
      account: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      sentiment: { type: 'string' },
      quantity: { type: 'string' },
      quote: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const mode: Mode = oneOf('mode', values.mode, MODES);
  const recipe: Recipe = oneOf('recipe', values.recipe, RECIPES);
  const account = values.account?.trim();
  if (!account || !/^[A-Za-z0-9_-]{1,32}$/.test(account))
    throw new CliUsageError('--account is required (1-32 of A-Z a-z 0-9 _ -)');
  for (const name of ['quantity', 'quote'] as const) {
    const v = values[name];
    if (v !== undefined && !(Number(v) > 0)) throw new CliUsageError(`--${name} must be a number above 0`);
  }
  const options: TemplateOptions = {
    mode,
    recipe,
    account,
    url: values.url ?? `http://localhost:${env.PORT ?? 3000}`,
    token: values.token ?? env.WEBHOOK_TOKENS?.split(',')[0]?.trim() ?? undefined,
    sentiment: values.sentiment === undefined ? undefined : oneOf('sentiment', values.sentiment, SENTIMENTS),
    quantity: values.quantity,
    quote: values.quote,
  };
  if (options.token === '') options.token = undefined;
  const rendered = renderTemplate(options);
  if (values.json) return JSON.stringify(rendered, null, 2);
  return [
    `Webhook URL:\n  ${rendered.url}`,
    '',
    'Message:',
    rendered.message,
    '',
    ...rendered.notes.map((note) => `- ${note}`),
  ].join('\n');
}
