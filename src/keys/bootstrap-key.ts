import { type AuditLog } from '../audit/audit-log';
import { type Logger } from '../observability/logger';
import { sha256Hex } from './key-material';
import { type KeyStore } from './key-store';

export interface BootstrapKeyOptions {
  store: KeyStore;
  audit: AuditLog;
  logger: Logger;
  /** `ADMIN_API_KEY` (already validated by the config). */
  rawKey: string;
  now: number;
}

/**
 * Installs `ADMIN_API_KEY` as the admin key named `bootstrap`. Idempotent, so every web process does it at
 * start: a hash already known is left alone — even if revoked, so that revoking it through the API sticks
 * across restarts (set a new value to get a working bootstrap key back). A new value is installed first and
 * then the previous bootstrap keys are revoked, so there is never a moment without an admin key.
 */
export async function installBootstrapKey(options: BootstrapKeyOptions): Promise<void> {
  const { store, logger, now } = options;
  const hash = sha256Hex(options.rawKey);
  const known = await store.idForHash(hash);
  if (known !== undefined) {
    const record = await store.get(known);
    if (record?.revokedAt !== undefined)
      logger.warn('ADMIN_API_KEY was revoked; set a new value to use a bootstrap key again', {
        keyId: known,
      });
    return;
  }
  const { record, created } = await store.install(
    { name: 'bootstrap', role: 'admin', bootstrap: true },
    hash,
    now,
  );
  if (!created) return;
  const system = { keyId: null, keyName: 'ADMIN_API_KEY', via: 'system' as const };
  await options.audit.append({
    actor: system,
    action: 'key.create',
    target: `key:${record.id}`,
    requestId: null,
    status: 0,
    outcome: 'success',
  });
  logger.info('bootstrap API key installed from ADMIN_API_KEY', { keyId: record.id });
  for (const old of await store.activeBootstrapKeys(now)) {
    if (old.id === record.id) continue;
    await store.revoke(old.id, { now, guardLastAdmin: false });
    await options.audit.append({
      actor: system,
      action: 'key.revoke',
      target: `key:${old.id}`,
      requestId: null,
      status: 0,
      outcome: 'success',
    });
    logger.info('previous bootstrap API key revoked (ADMIN_API_KEY changed)', { keyId: old.id });
  }
}
