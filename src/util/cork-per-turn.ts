import { type Writable } from 'node:stream';

const corkedPerTurn = new WeakSet<Writable>();

/**
 * Makes the writes a stream takes within one turn of the event loop leave in one system call: the stream is
 * corked at the turn's first write and uncorked in the turn's check phase (`setImmediate`), after every I/O
 * callback of the turn has run; Node then hands them all to the kernel at once (`writev`). Order is kept and a
 * write waits at most until the end of the current turn. `flushOnExit` also uncorks on `process.exit`, for a
 * stream whose last lines must not be lost (a synchronous stdout).
 */
export function corkPerTurn(stream: Writable, options: { flushOnExit?: boolean } = {}): void {
  if (corkedPerTurn.has(stream)) return;
  corkedPerTurn.add(stream);
  const write = stream.write;
  let corked = false;
  const uncork = () => {
    if (!corked) return;
    corked = false;
    stream.uncork();
  };
  stream.write = function corkingWrite(this: Writable, ...args: Parameters<Writable['write']>) {
    if (!corked && !stream.destroyed) {
      corked = true;
      stream.cork();
      setImmediate(uncork);
    }
    return write.apply(this, args);
  } as Writable['write'];
  if (options.flushOnExit) process.on('exit', uncork);
}
