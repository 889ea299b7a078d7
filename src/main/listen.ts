import { type Server } from 'node:http';
import { StartupError } from '../errors/startup-error';

/**
 * Starts `server` on `port` (of every address, or of `host` only). A port already taken rejects with a {@link StartupError} saying so in one
 * line, instead of a listening server that is not there (and a TypeError further on).
 */
export async function listen(server: Server, port: number, host?: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(
        error.code === 'EADDRINUSE'
          ? new StartupError(`port ${port} is already in use`, { code: 'port_in_use', cause: error })
          : error,
      );
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    if (host === undefined) server.listen(port);
    else server.listen(port, host);
  });
}
