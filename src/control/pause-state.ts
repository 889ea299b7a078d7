/**
 * The kill switch's state (docs/api.md "Accounts and the kill switch"). Pure: shared by the web process
 * (which sets it) and the worker (which obeys it).
 */

/** The field of the pause hash that pauses every account. Account ids cannot contain `*`. */
export const ALL_ACCOUNTS = '*';

/** One pause, as stored and answered. */
export interface PauseState {
  /** When it was paused (epoch ms). */
  since: number;
  /** Who paused: the API key's name (or `cli`). */
  by: string;
  /**
   * `true`: new and queued signals wait until resumed (or until they expire); `false`: they end `rejected`
   * with code `paused`.
   */
  hold: boolean;
}

/** The pause an account is under: its own, else the global one (an account's own pause is more specific). */
export interface EffectivePause extends PauseState {
  scope: 'account' | 'all';
}

/** Which pause applies to an account, given its own and the global one. */
export function effectivePause(
  own: PauseState | undefined,
  global: PauseState | undefined,
): EffectivePause | undefined {
  if (own) return { ...own, scope: 'account' };
  if (global) return { ...global, scope: 'all' };
  return undefined;
}

/**
 * A stored pause, or `undefined` when the field is absent. A field that is present but unreadable still
 * pauses (a kill switch fails closed): rejecting, since the epoch, by `unknown`.
 */
export function parsePause(json: string | null | undefined): PauseState | undefined {
  if (json === null || json === undefined) return undefined;
  try {
    const value = JSON.parse(json) as Partial<PauseState>;
    return {
      since: typeof value.since === 'number' ? value.since : 0,
      by: typeof value.by === 'string' ? value.by : 'unknown',
      hold: value.hold === true,
    };
  } catch {
    return { since: 0, by: 'unknown', hold: false };
  }
}
