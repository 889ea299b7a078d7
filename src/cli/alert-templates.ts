/**
 * Ready-to-paste TradingView alert messages (docs/alerts.md "Recipes"). Pure: a recipe and its options in,
 * the message text and the URL to paste out. Placeholders are quoted so that TradingView's substitution
 * always leaves valid JSON, and every message carries a unique `id` (the replay key) and `{{timenow}}`.
 * The replay key is global, not per chart or account: every `id` names the account and `{{ticker}}`, or the
 * same strategy firing on two charts (or for two accounts) in the same second would be one alert, the
 * second answered `200 duplicate` and never traded.
 */

export const RECIPES = ['strategy', 'signal', 'quote-entry', 'close-all', 'target'] as const;
export type Recipe = (typeof RECIPES)[number];
export const MODES = ['token', 'hmac'] as const;
export type Mode = (typeof MODES)[number];

export interface TemplateOptions {
  mode: Mode;
  recipe: Recipe;
  /** The account the alert trades on (`ACCOUNTS[].id`). */
  account: string;
  /** The server's base URL or its webhook URL. @defaultValue http://localhost:3000 */
  url?: string;
  /** Token mode: the token written into the message. @defaultValue a reminder to paste one */
  token?: string;
  /** `signal` recipe: the state this alert asks for. @defaultValue long */
  sentiment?: 'long' | 'short' | 'flat';
  /** `signal` recipe: size in base units. @defaultValue 0.01 */
  quantity?: string;
  /** `quote-entry` recipe: value in the quote currency. @defaultValue 100 */
  quote?: string;
}

export interface RenderedTemplate {
  /** What to paste into the alert's "Webhook URL". */
  url: string;
  /** What to paste into the alert's "Message". */
  message: string;
  /** What the user must know about this recipe. */
  notes: string[];
}

/** Stands for the token when none was given: refused by the server, so a forgotten paste never trades. */
export const TOKEN_REMINDER = 'PASTE-ONE-OF-WEBHOOK_TOKENS';

type Body = Record<string, string | Record<string, string>>;

function recipeBody(options: TemplateOptions): { body: Body; notes: string[] } {
  const common = { account: options.account, symbol: '{{ticker}}' };
  const scope = `${options.account}-{{ticker}}`;
  switch (options.recipe) {
    case 'strategy':
      return {
        body: {
          id: `${scope}-{{strategy.order.id}}-{{timenow}}`,
          ...common,
          action: '{{strategy.order.action}}',
          quantity: '{{strategy.order.contracts}}',
          price: '{{close}}',
        },
        notes: ["Use it in a Pine strategy's alert (Create Alert → Condition: your strategy, order fills)."],
      };
    case 'signal': {
      const sentiment = options.sentiment ?? 'long';
      return {
        body: {
          id: `${scope}-{{interval}}-${sentiment}-{{timenow}}`,
          ...common,
          sentiment,
          ...(sentiment === 'flat' ? {} : { quantity: options.quantity ?? '0.01' }),
          price: '{{close}}',
        },
        notes: [
          `An indicator alert: create one alert per condition (long, short, flat); this one asks for ${sentiment}.`,
          'A sentiment is a target state: a long alert while short closes the short and opens the long.',
        ],
      };
    }
    case 'quote-entry':
      return {
        body: {
          id: `${scope}-{{interval}}-entry-{{timenow}}`,
          ...common,
          action: 'buy',
          quantity: options.quote ?? '100',
          quantityType: 'quote',
          price: '{{close}}',
        },
        notes: ['Buys a fixed value in the quote currency (100 = 100 USDT), whatever the price.'],
      };
    case 'close-all':
      return {
        body: {
          id: `${scope}-{{interval}}-close-{{timenow}}`,
          ...common,
          action: 'close',
          price: '{{close}}',
        },
        notes: [
          'Closes the whole position (or sells the whole spot holding) of this symbol; no size needed.',
        ],
      };
    case 'target':
      return {
        body: {
          id: `${scope}-{{strategy.order.id}}-{{timenow}}`,
          ...common,
          positionSize: '{{strategy.position_size}}',
          price: '{{close}}',
          meta: {
            marketPosition: '{{strategy.market_position}}',
            previousMarketPosition: '{{strategy.prev_market_position}}',
          },
        },
        notes: [
          "The strategy's signed position after the fill: tradehook trades the difference from the real position, so a missed alert heals itself.",
        ],
      };
  }
}

/** The webhook URL from a base URL or a webhook URL. */
export function webhookUrl(url = 'http://localhost:3000'): string {
  const trimmed = url.replace(/\/+$/, '');
  return /\/webhook$/.test(trimmed) ? trimmed : `${trimmed}/webhook`;
}

/** Renders one recipe in one mode. */
export function renderTemplate(options: TemplateOptions): RenderedTemplate {
  const { body, notes } = recipeBody(options);
  const auth: Body =
    options.mode === 'token'
      ? { token: options.token ?? TOKEN_REMINDER, timestamp: '{{timenow}}' }
      : { timestamp: '{{timenow}}' };
  const message = JSON.stringify({ ...auth, ...body }, null, 2);
  const modeNotes =
    options.mode === 'token'
      ? [
          'Keep every placeholder in quotes: the message must stay valid JSON once TradingView fills it in.',
          ...(options.token
            ? []
            : [`Replace ${TOKEN_REMINDER} with one of WEBHOOK_TOKENS (or pass --token).`]),
        ]
      : [
          'HMAC mode is for senders that can sign (a relay, a script) — TradingView itself cannot.',
          'Send headers webhook-id (unique per alert), webhook-timestamp (unix seconds) and',
          'webhook-signature: v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}"> keyed with one of WEBHOOK_SECRETS.',
        ];
  return { url: webhookUrl(options.url), message, notes: [...notes, ...modeNotes] };
}

/** TradingView's placeholders in a message, in order of appearance, each once. */
export function placeholdersOf(message: string): string[] {
  return [...new Set(message.match(/\{\{[^}]+\}\}/g) ?? [])];
}
