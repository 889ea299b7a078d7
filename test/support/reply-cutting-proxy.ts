import net from 'node:net';
import { REDIS_URL } from './test-redis';

/**
 * A TCP proxy to the test Redis that can lose one reply: armed with a marker, it forwards the next
 * client chunk holding the marker, lets Redis execute it, and drops the connection when Redis's reply
 * comes instead of passing it on — a connection lost between a command's execution and its answer. Every
 * other byte, and every later connection, passes unchanged.
 */
export interface ReplyCuttingProxy {
  url: string;
  /** Arms the cut for the next command holding `marker`; resolves when that reply was dropped. */
  cutReplyTo(marker: string): Promise<void>;
  close(): Promise<void>;
}

export async function startReplyCuttingProxy(): Promise<ReplyCuttingProxy> {
  const upstream = new URL(REDIS_URL);
  const sockets = new Set<net.Socket>();
  let armed: { marker: string; cut: () => void } | undefined;
  const server = net.createServer((client) => {
    const redis = net.connect(Number(upstream.port || 6379), upstream.hostname);
    sockets.add(client).add(redis);
    let cutOnReply: (() => void) | undefined;
    client.on('data', (chunk) => {
      if (armed && chunk.includes(armed.marker)) {
        cutOnReply = armed.cut;
        armed = undefined;
      }
      redis.write(chunk);
    });
    redis.on('data', (chunk) => {
      if (!cutOnReply) return void client.write(chunk);
      // The command ran in Redis; its answer is lost with the connection.
      client.destroy();
      redis.destroy();
      cutOnReply();
      cutOnReply = undefined;
    });
    const end = () => {
      client.destroy();
      redis.destroy();
      sockets.delete(client);
      sockets.delete(redis);
    };
    client.on('error', end).on('close', end);
    redis.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}${upstream.pathname === '/' ? '' : upstream.pathname}`,
    cutReplyTo: (marker) => new Promise<void>((cut) => (armed = { marker, cut })),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
