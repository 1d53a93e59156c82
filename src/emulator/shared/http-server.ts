import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ListenOptions {
  /** Already checked to be a loopback address by the caller (each emulator has its own rule and message). */
  host: string;
  port: number;
  /** Names the emulator in the error when it cannot listen, e.g. "Stripe emulator". */
  name: string;
}

export interface RunningServer {
  /** The bound port: the one asked for, or the free one picked for port 0. */
  port: number;
  /** `http://host:port` with the bound address, an IPv6 one in brackets. */
  url: string;
  /** Stops listening, drops every open connection and resolves once the server is closed. */
  close(): Promise<void>;
}

/**
 * Starts an emulator's HTTP server on a checked host and port and resolves once it listens. Both
 * emulators want the same front: malformed HTTP gets a bare 400 and the connection is closed; a
 * listen failure (port in use, say) rejects with the emulator's name, host and port, because a
 * bare `EADDRINUSE` does not say which of two emulators in one process failed; and `close()`
 * drops open connections instead of waiting for keep-alive clients to hang up.
 */
export async function startHttpServer(
  options: ListenOptions,
  onRequest: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<RunningServer> {
  const { host, port, name } = options;
  const server = createServer(onRequest);
  server.on('clientError', (_error, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => reject(new Error(`${name} could not listen on ${host}:${port}: ${error.message}`));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    port: address.port,
    url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
