import { type Alert } from './alert';

/** The strategy a signal belongs to, for filters and stats: `meta.strategy`, else the alert's `comment`. Pure. */
export function strategyOf(alert: Pick<Alert, 'meta' | 'comment'>): string {
  const fromMeta = alert.meta?.strategy;
  if (typeof fromMeta === 'string' && fromMeta.trim() !== '') return fromMeta.trim();
  return alert.comment?.trim() ?? '';
}
