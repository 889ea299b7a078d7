import { type Redis } from 'ioredis';
import { type Writable } from 'node:stream';
import { corkPerTurn } from '../util/cork-per-turn';

/**
 * Sends the commands an ioredis client writes within one turn of the event loop in one system call.
 *
 * ioredis writes each command to its socket as it is called: under a burst of alerts that is one `write`
 * syscall per command (the largest single share of the web's CPU in the burst profile). Replies are matched
 * as before; a command waits at most until the end of the current turn.
 *
 * Not ioredis's `enableAutoPipelining`: that batches only within one tick, and on a fail-fast client it can
 * throw an uncaught TypeError when the connection drops with commands in flight.
 */
export function coalesceWrites(client: Redis): void {
  const patch = () => {
    const socket = (client as unknown as { stream?: Writable }).stream;
    if (socket) corkPerTurn(socket);
  };
  // Each (re)connection has a new socket.
  client.on('connect', patch);
  patch();
}
