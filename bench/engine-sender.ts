import { startThread } from './engine-thread';

/** One alert as the sender sent it, on the shared clock (engine-clock.ts). */
export interface SentAlert {
  /** Position in the run's sequence. */
  index: number;
  /** Index into the run's `bodies`. */
  body: number;
  /** Just before the request was handed to the socket (after signing, which a sender does in advance). */
  sentAt: number;
  /** When the whole answer was read. */
  answeredAt: number;
  status: number;
  /** `id` of the 202 answer (`sig_<24 hex>`), or `''`. */
  signalId: string;
  /** A connection error, if any. */
  error?: string;
}

export type SenderCommand =
  /** Open loop: request k leaves at start + k / rate s, whatever the answers to earlier ones. */
  | { type: 'paced'; rate: number; sequence: number[]; bodies: string[] }
  /** Closed loop: `concurrency` connections each send the next alert as soon as their previous one answered. */
  | { type: 'burst'; concurrency: number; sequence: number[]; bodies: string[] }
  | { type: 'close' };

export type SenderAnswer = { sent: SentAlert[]; startedAt: number; endedAt: number } | { closed: true };

export interface SenderOptions {
  /** `http://127.0.0.1:<port>` of the web process. */
  url: string;
  secret: string;
  /** Keeps webhook ids of different runs apart. */
  tag: string;
}

export interface Sender {
  paced(rate: number, sequence: number[], bodies: string[]): Promise<SenderRun>;
  burst(concurrency: number, sequence: number[], bodies: string[]): Promise<SenderRun>;
  close(): Promise<void>;
}

export interface SenderRun {
  sent: SentAlert[];
  startedAt: number;
  endedAt: number;
}

/**
 * Sends HMAC-signed alerts (Standard Webhooks, a fresh webhook-id each) from a worker thread, so that building
 * requests and reading answers does not run on the event loop of tradehook under test.
 */
export async function startSender(options: SenderOptions): Promise<Sender> {
  const { channel } = await startThread<{ ready: true }, SenderCommand, SenderAnswer>(
    'engine-sender-thread.ts',
    options,
  );
  const run = async (command: SenderCommand) => (await channel.call(command)) as SenderRun;
  return {
    paced: (rate, sequence, bodies) => run({ type: 'paced', rate, sequence, bodies }),
    burst: (concurrency, sequence, bodies) => run({ type: 'burst', concurrency, sequence, bodies }),
    async close() {
      await channel.call({ type: 'close' });
      await channel.exited;
    },
  };
}
