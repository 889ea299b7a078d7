import { type Alert } from './alert';

/** How a signal came in: a signed or token webhook, or the management API (`api`). */
export type AuthMode = 'hmac' | 'token' | 'api';

/** What the intake queues: the normalised alert plus where it came from. Holds no secret. */
export interface SignalEnvelope {
  /** Derived from the nonce: stable across resends; the BullMQ job id. */
  id: string;
  alert: Alert;
  auth: AuthMode;
  requestId: string;
  /** Epoch milliseconds. */
  receivedAt: number;
  /**
   * Set when an operator re-queued the signal (`POST /api/v1/signals/:id/retry`), epoch ms: its age and lag
   * count from here, since the retry asks for execution now.
   */
  retriedAt?: number;
}
