import net from 'node:net';

// No test may reach the internet: only loopback (Redis, the app under test, local fake exchanges).
const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\]|::1)$/;

export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

/** Marks the guard on the Socket prototype, which every test file of a jest worker shares. */
const GUARDED = Symbol.for('tradehook.test.net-guard');

type ConnectArgs = unknown[] & { [key: symbol]: unknown };

/**
 * The host a `Socket#connect` call goes to, or undefined for a local (IPC) socket. Node passes its own
 * normalised `[options, callback]` array from `net.connect`; user code may pass `(options)`, `(port, host)`
 * or `(path)`.
 */
function targetHost(args: ConnectArgs): string | undefined {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first !== null && typeof first === 'object') {
    // As Node decides: a truthy `path` is a local socket (http passes `path: null` for TCP).
    const options = first as { path?: string | null; host?: string | null };
    return options.path ? undefined : (options.host ?? 'localhost');
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first)))
    return typeof args[1] === 'string' ? args[1] : 'localhost';
  return undefined;
}

/**
 * Refuses every TCP connection to a host other than loopback, whatever sends it: Node's http/https
 * (supertest), `fetch`, undici (ccxt, notifications), ioredis. It sits on `net.Socket`, which is shared by
 * every test file of a jest worker, so it is installed once per process — an interceptor installed per file
 * (nock) stacks a layer on every request for each file the worker has run.
 */
export function allowOnlyLoopback(): void {
  const proto = net.Socket.prototype as net.Socket & { [GUARDED]?: true };
  if (proto[GUARDED]) return;
  const connect = proto.connect;
  proto.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const host = targetHost(args as ConnectArgs);
    if (host !== undefined && !isLoopback(host)) {
      const error = Object.assign(
        new Error(`test network guard: ${host} is not loopback; tests never reach the internet`),
        { code: 'ECONNREFUSED' },
      );
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return connect.apply(this, args as Parameters<typeof connect>);
  } as typeof connect;
  proto[GUARDED] = true;
}
