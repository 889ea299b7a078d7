import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { type AuditLog } from '../audit/audit-log';
import { type ApiKeyView, viewOf } from './api-key';
import { generateApiKey } from './key-material';
import { type KeyStore } from './key-store';
import { isRole } from './roles';

export interface KeysCliDeps {
  store: KeyStore;
  audit: AuditLog;
  /** `API_RATE_LIMIT_PER_MINUTE`. */
  defaultRateLimitPerMinute: number;
  out: (line: string) => void;
  now?: () => number;
}

/** A mistake in how the CLI was called: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export const USAGE = `Usage: npm run keys -- <command>

  create --name <name> --role admin|trader|viewer [--expires 90d|12h|<ISO time>] [--rate-limit <per minute>] [--json]
         Creates a key and prints it once (only its SHA-256 is stored).
  list [--json]              Lists keys (never the keys themselves).
  revoke <id>                Revokes a key at once, in every process, and ends its sessions.
  generate                   Prints a new random key for ADMIN_API_KEY (stores nothing).

On Heroku: heroku run npm run keys -- create --name ops --role admin`;

/** Runs one CLI command; throws {@link UsageError} for bad arguments. Needs Redis only for create/list/revoke. */
export async function runKeysCli(argv: string[], deps: KeysCliDeps | (() => KeysCliDeps)): Promise<number> {
  const { positionals, values } = parseArguments(argv);
  const [command, ...rest] = positionals;
  if (command === 'generate') {
    const d = typeof deps === 'function' ? undefined : deps;
    (d?.out ?? ((line: string) => process.stdout.write(`${line}\n`)))(generateApiKey());
    return 0;
  }
  const d = typeof deps === 'function' ? deps() : deps;
  const now = (d.now ?? Date.now)();
  const view = (record: Parameters<typeof viewOf>[0]) =>
    viewOf(record, { now, defaultRateLimit: d.defaultRateLimitPerMinute });
  const actor = { keyId: null, keyName: `cli:${safeUser()}`, via: 'cli' as const };
  switch (command) {
    case 'create': {
      if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
      const name = values.name?.trim();
      if (!name || name.length > 64) throw new UsageError('--name is required (1-64 characters)');
      if (!values.role || !isRole(values.role))
        throw new UsageError('--role must be admin, trader or viewer');
      const expiresAt = values.expires === undefined ? undefined : parseExpiry(values.expires, now);
      const rateLimitPerMinute =
        values['rate-limit'] === undefined ? undefined : parseRateLimit(values['rate-limit']);
      const { rawKey, record } = await d.store.issue(
        { name, role: values.role, expiresAt, rateLimitPerMinute },
        now,
      );
      await d.audit.append({
        actor,
        action: 'key.create',
        target: `key:${record.id}`,
        requestId: null,
        status: 0,
        outcome: 'success',
      });
      if (values.json) d.out(JSON.stringify({ ...view(record), apiKey: rawKey }));
      else {
        d.out(`Created ${record.id} (${describe(view(record))}). The key, shown this once — store it now:`);
        d.out(rawKey);
      }
      return 0;
    }
    case 'list': {
      const all: ApiKeyView[] = [];
      let after: string | undefined;
      do {
        const page = await d.store.list({ limit: 200, after });
        all.push(...page.records.map(view));
        after = page.next;
      } while (after);
      if (values.json) d.out(JSON.stringify(all));
      else if (all.length === 0)
        d.out('No API keys. Create one: npm run keys -- create --name ops --role admin');
      else for (const key of all) d.out(`${key.id}  ${describe(key)}`);
      return 0;
    }
    case 'revoke': {
      if (rest.length !== 1) throw new UsageError('revoke takes one key id');
      const result = await d.store.revoke(rest[0], { now, guardLastAdmin: false });
      if (result.outcome === 'not_found') {
        d.out(`No API key ${rest[0]}.`);
        return 1;
      }
      if (result.outcome === 'revoked')
        await d.audit.append({
          actor,
          action: 'key.revoke',
          target: `key:${rest[0]}`,
          requestId: null,
          status: 0,
          outcome: 'success',
        });
      d.out(
        result.outcome === 'already'
          ? `${rest[0]} was already revoked.`
          : `Revoked ${rest[0]}; its sessions are ended.`,
      );
      return 0;
    }
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'a command is required');
  }
}

function parseArguments(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        name: { type: 'string' },
        role: { type: 'string' },
        expires: { type: 'string' },
        'rate-limit': { type: 'string' },
        json: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90d`, `12h`, `30m`, or an ISO-8601 time; it must lie in the future. */
export function parseExpiry(input: string, now: number): number {
  const relative = /^(\d{1,5})([mhd])$/.exec(input);
  const at = relative
    ? now + Number(relative[1]) * UNIT_MS[relative[2]]
    : /^\d{4}-\d{2}-\d{2}/.test(input)
      ? Date.parse(input)
      : NaN;
  if (!Number.isFinite(at))
    throw new UsageError(`--expires: expected e.g. 90d, 12h, 30m or an ISO time, got "${input}"`);
  if (at <= now) throw new UsageError('--expires must lie in the future');
  return at;
}

function parseRateLimit(input: string): number {
  const value = Number(input);
  if (!/^\d+$/.test(input) || value < 1 || value > 100_000)
    throw new UsageError('--rate-limit: a whole number 1-100000');
  return value;
}

function describe(key: ApiKeyView): string {
  const parts = [key.name, key.role, key.state, `${key.rateLimitPerMinute}/min`];
  if (key.expiresAt) parts.push(`expires ${key.expiresAt}`);
  if (key.lastUsedAt) parts.push(`last used ${key.lastUsedAt}`);
  if (key.bootstrap) parts.push('ADMIN_API_KEY');
  return parts.join(', ');
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
