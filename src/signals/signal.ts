import { type Alert } from './alert';

export type AuthMode = 'hmac' | 'token';

/** What the intake queues: the normalised alert plus where it came from. Holds no secret. */
export interface SignalEnvelope {
  /** Derived from the nonce: stable across resends; the BullMQ job id. */
  id: string;
  alert: Alert;
  auth: AuthMode;
  requestId: string;
  /** Epoch milliseconds. */
  receivedAt: number;
}
