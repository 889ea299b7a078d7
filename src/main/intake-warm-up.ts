import { randomBytes } from 'node:crypto';
import { type RequestListener, type Server, type ServerOptions, createServer } from 'node:http';
import { type AddressInfo, type Socket, connect } from 'node:net';
import { secretKey, sign } from '../intake/hmac';
import { listen } from './listen';

/** What a warm-up did: alerts sent and answered 202, and why it ended. */
export interface WarmUpResult {
  sent: number;
  accepted: number;
  /**
   * `done`: every alert sent; `activity`: the real server took a request, so it stopped; `closed`: the
   * process is shutting down; `unavailable`: Redis is not connected, nothing was sent; `refused`: the shadow
   * intake answered something other than 202 (503: Redis went away meanwhile; anything else: a defect).
   */
  ended: 'done' | 'activity' | 'closed' | 'unavailable' | 'refused';
  /** The first answer that was not 202, when `ended` is `refused`. */
  status?: number;
  ms: number;
}

/** The credentials the shadow intake accepts; made fresh for it, never the configured ones. */
export interface WarmUpCredentials {
  /** Sent in the alert's body (token mode, as TradingView sends it). */
  token?: string;
  /** Signs the alert (Standard Webhooks headers, HMAC mode). */
  secret?: string;
}

export interface IntakeWarmUpOptions {
  /** The shadow intake: the real webhook's assembly on keys of its own (see `startWeb`). */
  listener: RequestListener;
  /** The real server's options, so that the shadow's HTTP handling is the same. */
  serverOptions: ServerOptions;
  credentials: WarmUpCredentials;
  /** Requests the real server has taken so far: the warm-up stops as soon as this changes. */
  activity: () => number;
  /** Removes every key the shadow intake wrote (after each warm-up, whatever its end). */
  cleanup: () => Promise<void>;
  /** Releases what the shadow intake holds, once no warm-up runs any more (at {@link IntakeWarmUp.close}). */
  release?: () => Promise<void>;
  /** Alerts per warm-up. @defaultValue {@link WARM_UP_ALERTS} */
  alerts?: number;
  /** Connections they are sent over, one alert in flight on each. @defaultValue 10 */
  connections?: number;
}

/**
 * Alerts per warm-up. Measured on the minimal reference intake (README, Performance): after a full
 * collection, 300 alerts left most of its hot path to be optimised again in the next burst; 2,000 brought it
 * back to the compiled state it had before (35 functions optimised in the burst against 33 never collected).
 */
export const WARM_UP_ALERTS = 2000;

/**
 * Alerts per round. Each round's keys are removed before the next is sent: ~2 MB of Redis at most (a whole
 * warm-up at once peaked at ~8 MB, measured with `INFO memory`), which matters on a small Redis plan.
 */
export const WARM_UP_ROUND = 500;

/** Symbols the warm-up's alerts cycle through, so that they land in every queue partition. */
const SYMBOLS = 'BTC ETH SOL XRP ADA DOGE LTC DOT'.split(' ').map((base) => `${base}/USDT`);

/**
 * Warms the webhook's hot path: V8 optimises the functions an alert runs through only after they ran many
 * times, and drops much of that code at a full collection (the idle collector's, or V8's own). The first burst
 * after a start or a quiet spell then pays the compiler and answers its alerts later (README, Performance).
 * A warm-up sends the process itself {@link WARM_UP_ALERTS} alerts over loopback, to a second server whose
 * listener is the same code as the webhook's (`webhookFastPath`, the intake, the queue, the history, the
 * logger's formats) built on keys of its own: its alerts are never seen by a worker, a metric, a log line or
 * the history, and every key they wrote is removed afterwards. Its server listens only while it runs, on
 * loopback, on a free port, and accepts only the credentials made for it. It stops at once when the real
 * server takes a request: real alerts come first. One warm-up at a time; `run()` while one runs returns it.
 */
export class IntakeWarmUp {
  private running?: Promise<WarmUpResult>;
  private closed = false;

  constructor(private readonly options: IntakeWarmUpOptions) {}

  run(): Promise<WarmUpResult> {
    this.running ??= this.warm().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Stops a running warm-up (it cleans up) and refuses new ones. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.running?.catch(() => undefined);
    await this.options.release?.();
  }

  private async warm(): Promise<WarmUpResult> {
    const started = Date.now();
    const result = (ended: WarmUpResult['ended'], sent: number, accepted: number, status?: number) => ({
      sent,
      accepted,
      ended,
      ...(status === undefined ? {} : { status }),
      ms: Date.now() - started,
    });
    if (this.closed) return result('closed', 0, 0);
    const { options } = this;
    const server = createServer(options.serverOptions, options.listener);
    try {
      await listen(server, 0, '127.0.0.1');
      const port = (server.address() as AddressInfo).port;
      const total = options.alerts ?? WARM_UP_ALERTS;
      const activity = options.activity();
      const run = randomBytes(6).toString('hex');
      let sent = 0;
      let accepted = 0;
      let stop: { ended: WarmUpResult['ended']; status?: number } | undefined;
      let roundEnd = 0;
      const next = () => {
        if (stop) return undefined;
        if (this.closed) stop = { ended: 'closed' };
        else if (options.activity() !== activity) stop = { ended: 'activity' };
        return stop || sent >= roundEnd ? undefined : this.request(run, sent++, port);
      };
      const drive = async () => {
        const client = await LoopbackClient.open(port);
        try {
          for (let request = next(); request !== undefined; request = next()) {
            const status = await client.send(request);
            if (status === 202) accepted += 1;
            else stop ??= { ended: 'refused', status };
          }
        } finally {
          client.close();
        }
      };
      // In rounds, each cleaned up before the next: Redis holds one round's keys at most.
      while (!stop) {
        roundEnd = Math.min(total, sent + WARM_UP_ROUND);
        const drives = await Promise.allSettled(Array.from({ length: options.connections ?? 10 }, drive));
        const failed = drives.find((d): d is PromiseRejectedResult => d.status === 'rejected');
        if (failed) throw failed.reason;
        if (stop) break;
        if (sent >= total) stop = { ended: 'done' };
        else await options.cleanup();
      }
      return result(stop.ended, sent, accepted, stop.status);
    } finally {
      await closeServer(server);
      await options.cleanup();
    }
  }

  /** The `i`-th alert of a warm-up, as TradingView's (token in the body) or a signing sender's would come. */
  private request(run: string, i: number, port: number): string {
    const { token, secret } = this.options.credentials;
    const now = Date.now();
    // Both modes when both are accepted, one alert each in turn.
    const signed = secret !== undefined && (token === undefined || i % 2 === 1);
    const body = JSON.stringify({
      ...(signed ? {} : { token }),
      id: `warm-up-${run}-${i}`,
      timestamp: new Date(Math.floor(now / 1000) * 1000).toISOString(),
      symbol: SYMBOLS[i % SYMBOLS.length],
      action: i % 2 === 0 ? 'buy' : 'sell',
      quantity: '0.001',
      price: '100',
    });
    let head = `POST /webhook HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\n`;
    if (signed) {
      const id = `msg_warm-up-${run}-${i}`;
      const timestamp = String(Math.floor(now / 1000));
      head += `webhook-id: ${id}\r\nwebhook-timestamp: ${timestamp}\r\n`;
      head += `webhook-signature: ${sign(secretKey(secret), id, timestamp, body)}\r\n`;
    }
    return `${head}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  }
}

/** Closes the shadow server, its keep-alive connections included. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * A keep-alive HTTP/1.1 connection that sends prepared requests one at a time and reads each answer's status
 * (the body is skipped by its `content-length`). Node's own client would spend more CPU per alert than
 * the server it warms, and compile its own code besides.
 */
class LoopbackClient {
  private buffered: Buffer = Buffer.alloc(0);
  private waiting?: { resolve: (status: number) => void; reject: (error: Error) => void };

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      this.parse();
    });
    const fail = (error: Error) => {
      this.waiting?.reject(error);
      this.waiting = undefined;
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the warm-up connection closed')));
  }

  static open(port: number): Promise<LoopbackClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1', noDelay: true });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new LoopbackClient(socket));
      });
      socket.once('error', reject);
    });
  }

  send(request: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(request);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private parse(): void {
    const end = this.buffered.indexOf('\r\n\r\n');
    if (end < 0 || !this.waiting) return;
    const head = this.buffered.toString('latin1', 0, end);
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.buffered.length < end + 4 + length) return;
    this.buffered = this.buffered.subarray(end + 4 + length);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting.resolve(Number(head.slice(9, 12)));
  }
}
