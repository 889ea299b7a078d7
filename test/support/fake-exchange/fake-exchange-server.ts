import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { type AddressInfo } from 'node:net';

/**
 * What to do to the next request of an operation (see {@link FakeExchangeServer.failNext}). Combine freely:
 * `{ delayMs: 50, status: 503 }` waits, then fails.
 */
export interface FailureSpec {
  /** HTTP status of the answer. With no code/body: a plain-text status page, like a load balancer's. */
  status?: number;
  /** Exchange error code in the exchange's own format: Binance `{"code","msg"}`, Bybit `retCode/retMsg`. */
  code?: number;
  /** Alias of `code`, for readability in Binance tests. */
  binanceCode?: number;
  /** Alias of `code`, for readability in Bybit tests. */
  bybitRetCode?: number;
  /** Message accompanying `code`. */
  msg?: string;
  /** A raw body to answer with (object → JSON). */
  body?: unknown;
  /** Process the request for real (the order IS placed), then destroy the socket: a lost response. */
  dropResponseAfterProcessing?: boolean;
  /** Destroy the socket without processing: the request never "arrived". */
  dropConnection?: boolean;
  /**
   * Wait this long before processing and answering (or dropping): a slow exchange. The request is still
   * processed after the wait even when the client gave up meanwhile — unless the exchange's receive window
   * refuses it then (see {@link FakeExchangeServer.executionProblem}).
   */
  delayMs?: number;
  /**
   * Process the request at once (the order IS placed), then wait this long before answering: a worker that
   * dies in this window never learns that its order went through.
   */
  delayAfterProcessingMs?: number;
  /**
   * Hold the request until the exchange's clock reaches the request's SIGNED timestamp plus this, then
   * process and answer it: a slow exchange executing a request late, at a moment tied to its timestamp
   * (independent of how long it took to arrive), so that a test can place execution inside or outside the
   * receive window exactly.
   */
  holdUntilSignedPlusMs?: number;
}

/** One request as the fake received it. */
export interface RecordedRequest {
  operation: string;
  method: string;
  path: string;
  /** Query string and body (form or JSON) merged; JSON keeps its types. */
  params: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  at: number;
}

/** An exchange-native error answer raised by a handler. */
export class FakeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
  }
}

export interface FakeRoute {
  method: string;
  path: string;
  operation: string;
  /** Private endpoint: the fake requires the exchange's authentication headers/params to be present. */
  signed: boolean;
  handle(params: Record<string, unknown>, request: RecordedRequest): unknown;
}

/**
 * A local HTTP server (port 0) playing one exchange's REST API for tests: ccxt's real classes talk to it
 * through `urls.api`. Records every request, answers from in-memory state, and fails on demand.
 */
export abstract class FakeExchangeServer {
  /** Every routed request, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** Requests the exchange's receive-window checks refused, with when (on arrival or on execution). */
  readonly refused: { operation: string; stage: 'admission' | 'execution'; body: unknown }[] = [];
  /** Requests for which no route exists (a test that sees any has a gap in the fake). */
  readonly unhandled: string[] = [];
  private readonly failures = new Map<string, FailureSpec[]>();
  private readonly delays = new Map<string, number>();
  private server: Server | undefined;
  private baseUrl = '';
  /**
   * The exchange's clock minus ours (ms): positive when the exchange's clock is ahead. Receive-window checks
   * and server-time answers use {@link serverNow}.
   */
  clockOffsetMs = 0;

  /** The exchange id this fake plays (ccxt class name). */
  abstract readonly exchangeId: string;
  protected abstract routes(): FakeRoute[];
  /** The exchange's error format for an injected failure with a code. */
  protected abstract errorAnswer(code: number, msg: string, status: number | undefined): FakeApiError;
  /** `undefined` when authentication material is present, else the exchange's answer to its absence. */
  protected abstract authenticationProblem(request: RecordedRequest): FakeApiError | undefined;

  /**
   * Checked when a signed request ARRIVES, before any injected delay (an exchange's gateway): e.g. a
   * timestamp outside the receive window. @returns the exchange's refusal, or `undefined`.
   */
  protected admissionProblem(_request: RecordedRequest): FakeApiError | undefined {
    return undefined;
  }

  /**
   * Checked when a signed request is EXECUTED, after any injected delay (an exchange's matching engine):
   * Binance checks the receive window again there, so a request stuck inside the exchange past its window
   * is refused instead of executed late. @returns the exchange's refusal, or `undefined`.
   */
  protected executionProblem(_request: RecordedRequest): FakeApiError | undefined {
    return undefined;
  }

  /** The timestamp a signed request carries (epoch ms), if this exchange signs one. */
  protected signedTimestamp(_request: RecordedRequest): number | undefined {
    return undefined;
  }

  /** The exchange's clock (epoch ms), {@link clockOffsetMs} away from ours. */
  serverNow(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** `http://127.0.0.1:<port>` once started. */
  get url(): string {
    if (!this.baseUrl) throw new Error('fake exchange not started');
    return this.baseUrl;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.dispatch(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The next request of `operation` (e.g. `createOrder`) fails as described; calls queue up. */
  failNext(operation: string, spec: FailureSpec): this {
    const queue = this.failures.get(operation) ?? [];
    queue.push(spec);
    this.failures.set(operation, queue);
    return this;
  }

  /** Every request of `operation` waits `ms` before being answered (0 to stop). */
  delay(operation: string, ms: number): this {
    this.delays.set(operation, ms);
    return this;
  }

  /** Recorded requests of one operation. */
  requestsFor(operation: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    const method = req.method ?? 'GET';
    const route = this.routes().find((r) => r.method === method && r.path === url.pathname);
    if (!route) {
      this.unhandled.push(`${method} ${url.pathname}`);
      return send(res, 404, { code: -1, msg: `fake ${this.exchangeId}: no route ${method} ${url.pathname}` });
    }
    const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    Object.assign(params, parseBody(raw, req.headers['content-type']));
    const request: RecordedRequest = {
      operation: route.operation,
      method,
      path: url.pathname,
      params,
      headers: req.headers,
      at: Date.now(),
    };
    this.requests.push(request);
    const refused = route.signed ? this.admissionProblem(request) : undefined;
    if (refused) {
      this.refused.push({ operation: route.operation, stage: 'admission', body: refused.body });
      return send(res, refused.status, refused.body);
    }

    const failure = this.failures.get(route.operation)?.shift();
    const delayMs = (failure?.delayMs ?? 0) + (this.delays.get(route.operation) ?? 0);
    if (delayMs > 0) await pause(delayMs);
    const signedAt = failure?.holdUntilSignedPlusMs === undefined ? undefined : this.signedTimestamp(request);
    if (signedAt !== undefined) {
      const hold = signedAt + (failure?.holdUntilSignedPlusMs ?? 0) - this.serverNow();
      if (hold > 0) await pause(hold);
    }
    if (failure?.dropConnection) return void req.socket.destroy();
    const injected = failure ? this.injectedAnswer(failure) : undefined;
    if (injected) return send(res, injected.status, injected.body);

    let status = 200;
    let body: unknown;
    try {
      const problem = route.signed ? this.authenticationProblem(request) : undefined;
      if (problem) throw problem;
      const late = route.signed ? this.executionProblem(request) : undefined;
      if (late) {
        this.refused.push({ operation: route.operation, stage: 'execution', body: late.body });
        throw late;
      }
      body = route.handle(params, request);
    } catch (error) {
      if (!(error instanceof FakeApiError)) throw error;
      status = error.status;
      body = error.body;
    }
    if (failure?.delayAfterProcessingMs) await pause(failure.delayAfterProcessingMs);
    if (failure?.dropResponseAfterProcessing) return void req.socket.destroy();
    if (res.destroyed) return;
    send(res, status, body);
  }

  private injectedAnswer(spec: FailureSpec): { status: number; body: unknown } | undefined {
    const code = spec.code ?? spec.binanceCode ?? spec.bybitRetCode;
    if (spec.body !== undefined) return { status: spec.status ?? 200, body: spec.body };
    if (code !== undefined) {
      const error = this.errorAnswer(code, spec.msg ?? 'injected failure', spec.status);
      return { status: error.status, body: error.body };
    }
    if (spec.status !== undefined)
      return { status: spec.status, body: `<html><body>${spec.status}</body></html>` };
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json') || raw.startsWith('{'))
    return JSON.parse(raw) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(raw));
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/html' : 'application/json' });
  res.end(text);
}

/** A delay that does not keep the test process alive once everything else is done. */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
