import { createHash } from 'node:crypto';
import { type Format } from './subscription';

/** A subscription's url as compared for conflicts: the parsed form (host case, default port) without a fragment. */
export function normalizeUrl(url: string): string {
  const parsed = new URL(url);
  parsed.hash = '';
  return parsed.toString();
}

/**
 * The identity of a url for the uniqueness rule: SHA-256 (hex) of its normalized form. It stands in for the
 * url in records and key names, so a url whose path is a credential is compared without being stored (the
 * credential is long and random: its hash does not give it away).
 */
export function urlHash(url: string): string {
  return createHash('sha256').update(normalizeUrl(url)).digest('hex');
}

// Webhook URLs of chat apps whose path is the credential (anyone holding the url may post).
const CREDENTIAL_URLS = [/^(?:canary\.|ptb\.)?discord(?:app)?\.com$/i, /^hooks\.slack\.com$/i] as const;
const CREDENTIAL_PATHS = [/^\/api\/(?:v\d+\/)?webhooks\//, /^\/services\//] as const;

/**
 * Whether `url` holds a credential and so belongs in the secret store: every url of a `discord` or `slack`
 * subscription (the token is its path), a Discord or Slack webhook url whatever the format, and any url with
 * a query or user info — where a receiver's own token goes (`?token=…`, `https://user:pass@…`).
 */
export function urlIsSecret(format: Format, url: string): boolean {
  if (pathIsCredential(format, url)) return true;
  const parsed = new URL(url);
  return parsed.search !== '' || parsed.username !== '' || parsed.password !== '';
}

/** A chat app's webhook url, whose last path segment is its token. */
function pathIsCredential(format: Format, url: string): boolean {
  if (format === 'discord' || format === 'slack') return true;
  const parsed = new URL(url);
  return CREDENTIAL_URLS.some(
    (host, i) => host.test(parsed.hostname) && CREDENTIAL_PATHS[i].test(parsed.pathname),
  );
}

/**
 * A credential url ({@link urlIsSecret}) as it may be stored and answered. A chat app's: its last path
 * segment (Discord's token, Slack's secret) masked to its last 4 characters, the query left out. Any other:
 * user info left out and the query shown as `?…`. Masking a masked url changes nothing.
 */
export function maskWebhookUrl(url: string, format: Format = 'standard'): string {
  const parsed = new URL(url);
  if (!pathIsCredential(format, url)) {
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search === '' ? '' : '?…'}`;
  }
  const segments = parsed.pathname.split('/');
  const last = safeDecode(segments.pop() ?? '');
  segments.push(last.length > 4 ? `…${last.slice(-4)}` : '…');
  return `${parsed.origin}${segments.join('/')}`;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
