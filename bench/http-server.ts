import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Express } from 'express';

/** A listening app on a free port and the way to stop it. */
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function listen(app: Express): Promise<RunningServer> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, () => resolve(s));
  });
  return { url: urlOf(server), close: () => closeServer(server) };
}

export function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Stops accepting and drops the (idle, keep-alive) connections the load left behind. */
export function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  server.closeAllConnections();
  return closed;
}
