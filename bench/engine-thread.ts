import path from 'node:path';
import { Worker } from 'node:worker_threads';

/** A request/answer channel to a worker thread running one of the `engine-*-thread.ts` entries. */
export interface ThreadChannel<Command, Answer> {
  /** Sends `command` and resolves with the thread's answer to it (one command at a time per channel). */
  call(command: Command): Promise<Answer>;
  /** Resolves once the thread has exited. */
  exited: Promise<void>;
  worker: Worker;
}

/** What a thread answers: its result, or why it failed. */
export type ThreadAnswer<A> = { ok: true; answer: A } | { ok: false; message: string };

/**
 * Starts `entry` (a TypeScript file next to this one) in a worker thread with `data`. Worker threads do not
 * inherit tsx's hooks, so they are registered before the entry is loaded (as load.ts does). The first
 * message the thread posts is its start-up answer (`ready`).
 */
export async function startThread<Ready, Command, Answer>(
  entry: string,
  data: unknown,
): Promise<{ ready: Ready; channel: ThreadChannel<Command, Answer> }> {
  const file = path.join(__dirname, entry);
  const source = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();
require(${JSON.stringify(file)});`;
  const worker = new Worker(source, { eval: true, workerData: data });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let pending: { resolve: (a: unknown) => void; reject: (e: Error) => void } | undefined;
  const fail = (error: Error) => {
    const p = pending;
    pending = undefined;
    p?.reject(error);
  };
  worker.on('message', (message: ThreadAnswer<unknown>) => {
    const p = pending;
    pending = undefined;
    if (!p) return;
    if (message.ok) p.resolve(message.answer);
    else p.reject(new Error(`${entry}: ${message.message}`));
  });
  worker.on('error', (error) => fail(error));
  worker.on('exit', (code) => fail(new Error(`${entry} exited (code ${code})`)));
  const next = <A>() =>
    new Promise<A>((resolve, reject) => {
      if (pending) throw new Error(`${entry}: one command at a time`);
      pending = { resolve: resolve as (a: unknown) => void, reject };
    });
  const ready = await next<Ready>();
  return {
    ready,
    channel: {
      worker,
      exited,
      call(command: Command) {
        const answer = next<Answer>();
        worker.postMessage(command);
        return answer;
      },
    },
  };
}

/** The thread side: answers each command with `handle`'s result (or its error). Call after posting ready. */
export function serveCommands<Command, Answer>(
  port: { on(event: 'message', fn: (c: Command) => void): void; postMessage(m: unknown): void },
  handle: (command: Command) => Promise<Answer>,
): void {
  port.on('message', (command) => {
    handle(command).then(
      (answer) => port.postMessage({ ok: true, answer } satisfies ThreadAnswer<Answer>),
      (error: Error) =>
        port.postMessage({ ok: false, message: error.stack ?? error.message } satisfies ThreadAnswer<Answer>),
    );
  });
}
