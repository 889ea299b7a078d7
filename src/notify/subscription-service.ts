import { type SecretMaterial, generateSecret, secretHint } from './secret-material';
import { type SecretStore } from './secret-store';
import {
  type EventSelector,
  type Format,
  type Signing,
  type Subscription,
  type SubscriptionFilter,
} from './subscription';
import { SubscriptionStore } from './subscription-store';
import { maskWebhookUrl, urlHash, urlIsSecret } from './webhook-url';

export interface NewSubscription {
  url: string;
  events: EventSelector[];
  format?: Format;
  /** A `whsec_` secret of the caller's; generated when absent (HMAC only). */
  secret?: string;
  signing?: Signing;
  description?: string;
  headers?: Record<string, string>;
  filter?: SubscriptionFilter;
  telegram?: { botToken: string; chatId: string };
}

export interface SubscriptionChange {
  url?: string;
  events?: EventSelector[];
  active?: boolean;
  filter?: SubscriptionFilter;
  description?: string | null;
  headers?: Record<string, string>;
  rotateSecret?: boolean;
}

export type ServiceOutcome =
  | { outcome: 'saved'; subscription: Subscription; shown?: { secret?: string; publicKey?: string } }
  | { outcome: 'conflict'; with: string }
  | { outcome: 'not_found' };

/**
 * Creating, changing, rotating and deleting subscriptions: the one place that keeps a subscription and
 * its secrets consistent (the record holds a hint, the secret store the secret). The API routes call it.
 */
export class SubscriptionService {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly secrets: SecretStore,
  ) {}

  async create(input: NewSubscription, now: number): Promise<ServiceOutcome> {
    const signing = input.signing ?? 'hmac';
    const format = input.format ?? 'standard';
    const generated = input.secret === undefined ? generateSecret(signing) : undefined;
    const secret = input.secret ?? generated!.secret;
    const url = storedUrl(format, input.url);
    const subscription: Subscription = {
      id: SubscriptionStore.newId(),
      ...url,
      events: [...new Set(input.events)],
      format,
      signing,
      description: input.description ?? null,
      headerNames: Object.keys(input.headers ?? {}),
      filter: input.filter ?? {},
      active: true,
      disabledReason: null,
      secretHint: secretHint(secret),
      failingSince: null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    const material: SecretMaterial = {
      keys: [{ secret, expiresAt: null }],
      ...(input.telegram ? { telegram: input.telegram } : {}),
      ...(input.headers ? { headers: input.headers } : {}),
      ...(url.urlSecret ? { urls: { [url.urlHash]: input.url } } : {}),
    };
    // The secret first: a subscription never exists without one (a failed save leaves an unused secret).
    await this.secrets.put(subscription.id, material);
    const saved = await this.store.create(subscription);
    if (saved.outcome !== 'saved') {
      await this.secrets.remove(subscription.id);
      if (saved.outcome === 'changed') throw new Error(`subscription id ${subscription.id} exists already`);
      return saved;
    }
    const shown =
      signing === 'ed25519'
        ? { publicKey: generated?.shown ?? secretHint(secret) }
        : generated
          ? { secret }
          : undefined;
    return { outcome: 'saved', subscription, shown };
  }

  async change(id: string, change: SubscriptionChange, now: number): Promise<ServiceOutcome> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const read = await this.store.read(id);
      if (!read || read.subscription.deletedAt !== null) return { outcome: 'not_found' };
      const current = read.subscription;
      const next: Subscription = {
        ...current,
        ...(change.url !== undefined ? storedUrl(current.format, change.url) : {}),
        ...(change.events !== undefined ? { events: [...new Set(change.events)] } : {}),
        ...(change.filter !== undefined ? { filter: change.filter } : {}),
        ...(change.description !== undefined ? { description: change.description } : {}),
        ...(change.headers !== undefined ? { headerNames: Object.keys(change.headers) } : {}),
        updatedAt: now,
      };
      if (change.active !== undefined) {
        next.active = change.active;
        // Re-enabling starts afresh: the 5-day failure clock and the reason of the last disabling are cleared.
        if (change.active) Object.assign(next, { disabledReason: null, failingSince: null });
      }
      // A new credential url is kept before the record points at it (by hash), and the others pruned after.
      if (change.url !== undefined && next.urlSecret) await this.secrets.addUrl(id, next.urlHash, change.url);
      const saved = await this.store.replace(next, read);
      if (saved.outcome === 'changed') continue;
      const delivering = saved.outcome === 'saved' ? next : current;
      if (change.url !== undefined)
        await this.secrets.pruneUrls(id, delivering.urlSecret ? delivering.urlHash : undefined);
      if (saved.outcome === 'conflict') return saved;
      return { outcome: 'saved', subscription: next, shown: await this.afterSave(next, change, now) };
    }
    throw new Error('subscription not changed: too many concurrent changes');
  }

  /** What a saved change still does to the secrets: new header values, a rotation (whose new secret is shown). */
  private async afterSave(next: Subscription, change: SubscriptionChange, now: number) {
    if (change.headers !== undefined) await this.secrets.setHeaders(next.id, change.headers, now);
    // Rotated only once the change is saved: a refused change (409) leaves the secret as it was.
    if (!change.rotateSecret) return undefined;
    const { secret, shown: visible } = generateSecret(next.signing);
    await this.secrets.rotate(next.id, secret, now);
    next.secretHint = secretHint(secret);
    await this.store.update(next.id, (s) => ({ ...s, secretHint: next.secretHint }));
    return next.signing === 'ed25519' ? { publicKey: visible } : { secret };
  }

  /** Soft delete: the record stays (its deliveries name it), its secrets go. */
  async remove(id: string, now: number): Promise<ServiceOutcome> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const read = await this.store.read(id);
      if (!read || read.subscription.deletedAt !== null) return { outcome: 'not_found' };
      const deleted = { ...read.subscription, active: false, deletedAt: now, updatedAt: now };
      if ((await this.store.replace(deleted, read)).outcome === 'changed') continue;
      await this.secrets.remove(id);
      return { outcome: 'saved', subscription: deleted };
    }
    throw new Error('subscription not deleted: too many concurrent changes');
  }
}

/** The url fields of a record: a credential url masked, with the hash of the whole one. */
function storedUrl(format: Format, url: string): Pick<Subscription, 'url' | 'urlHash' | 'urlSecret'> {
  const secret = urlIsSecret(format, url);
  return { url: secret ? maskWebhookUrl(url, format) : url, urlHash: urlHash(url), urlSecret: secret };
}
