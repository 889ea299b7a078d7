import { EVENT_TYPES, type EventType, type TradehookEvent } from '../events/event-types';

/** Events a subscription may name: every published event but `ping` (sent only by the test route). */
export const SUBSCRIBABLE_EVENTS = EVENT_TYPES.filter((t) => t !== 'ping') as Exclude<EventType, 'ping'>[];

/** What a subscription may list in `events`: one of {@link SUBSCRIBABLE_EVENTS}, or `*` for all of them. */
export type EventSelector = Exclude<EventType, 'ping'> | '*';

/** How a delivery's body is shaped: Standard Webhooks JSON, or a message a human reads in a chat app. */
export const FORMATS = ['standard', 'discord', 'slack', 'telegram'] as const;
export type Format = (typeof FORMATS)[number];

/** `hmac`: a shared `whsec_` secret (`v1`); `ed25519`: an asymmetric key pair (`v1a`, receivers hold `whpk_`). */
export type Signing = 'hmac' | 'ed25519';

/** Why a subscription stopped receiving: the receiver answered 410, or it failed everything for 5 days. */
export type DisabledReason = 'gone' | 'failing';

export interface SubscriptionFilter {
  /** Only events of these accounts (events without an account, e.g. `subscription.disabled`, pass). */
  accounts?: string[];
  /** Only events of these TradingView symbols (`BINANCE:BTCUSDT`); events without a symbol pass. */
  symbols?: string[];
}

/** A subscription as stored: never a secret (those live in the secret store only). */
export interface Subscription {
  id: string;
  /** Where deliveries go; masked (`…abcd`) when the url is a credential ({@link urlSecret}). */
  url: string;
  /** SHA-256 of the whole normalized url: what the uniqueness rule compares (see `webhook-url.ts`). */
  urlHash: string;
  /** The whole url is a credential (Discord, Slack) kept in the secret store, by {@link urlHash}. */
  urlSecret: boolean;
  events: EventSelector[];
  format: Format;
  signing: Signing;
  description: string | null;
  /** Names of the extra request headers the receiver asked for; their values are in the secret store. */
  headerNames: string[];
  filter: SubscriptionFilter;
  active: boolean;
  disabledReason: DisabledReason | null;
  /** Masked secret (`whsec_…abcd`) or, for ed25519, the public key `whpk_…` (public by nature). */
  secretHint: string;
  /** Epoch ms of the first failure of an unbroken run of failures; null once an attempt succeeds. */
  failingSince: number | null;
  /** Epoch ms of the latest failed attempt (to the minute); absent on records written before it was kept. */
  lastFailureAt?: number;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
}

/** Whether `subscription` wants `event`: active, the event selected, and its filter passing. */
export function wantsEvent(subscription: Subscription, event: TradehookEvent): boolean {
  if (!subscription.active || subscription.deletedAt !== null || event.type === 'ping') return false;
  const selected =
    subscription.events.includes('*') || subscription.events.includes(event.type as EventSelector);
  if (!selected) return false;
  const { accounts, symbols } = subscription.filter;
  const account = event.data.account;
  if (accounts?.length && typeof account === 'string' && !accounts.includes(account)) return false;
  const symbol = event.data.symbol;
  if (symbols?.length && typeof symbol === 'string' && !symbols.includes(symbol)) return false;
  return true;
}
