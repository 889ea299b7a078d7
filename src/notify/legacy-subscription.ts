import { type SecretStore } from './secret-store';
import { type Subscription } from './subscription';
import { maskWebhookUrl, urlHash, urlIsSecret } from './webhook-url';

/**
 * A record written before urls were hashed (no `urlHash`), or before a query or user info counted as a
 * credential, as it is now: its url hashed for the uniqueness rule and, when the url is a credential
 * ({@link urlIsSecret}), the whole url moved to the secret store and the record left with the masked one. The secret store is written first, so the url is never lost; the
 * caller then saves the record (a deleted subscription has no secrets any more: its url is only masked).
 */
/** Whether a stored record predates the current rules (see {@link upgradeLegacy}). */
export function isLegacy(stored: Subscription): boolean {
  return stored.urlHash === undefined || (!stored.urlSecret && urlIsSecret(stored.format, stored.url));
}

export async function upgradeLegacy(legacy: Subscription, secrets: SecretStore): Promise<Subscription> {
  const hash = urlHash(legacy.url);
  const secret = urlIsSecret(legacy.format, legacy.url);
  if (secret && legacy.deletedAt === null) await secrets.addUrl(legacy.id, hash, legacy.url);
  return {
    ...legacy,
    url: secret ? maskWebhookUrl(legacy.url, legacy.format) : legacy.url,
    urlHash: hash,
    urlSecret: secret,
  };
}
