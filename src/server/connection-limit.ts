import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** What the connection cap reports (for its log line and for tests). */
export interface ConnectionStats {
  open: number;
  idle: number;
  /** Idle connections closed to make room for a new one, since start. */
  evicted: number;
  /** New connections closed because every open one had a request in flight, since start. */
  refused: number;
}

interface Log {
  warn(obj: object, msg?: string): void;
}

/** How often, at most, the cap says in the log that it closed connections. */
const LOG_EVERY_MS = 60_000;

/**
 * Keeps at most `max` connections open. A plain cap (Node's server.maxConnections) would refuse
 * every new connection once `max` idle ones are open, so whoever opens them first locks everyone
 * else out until they time out. Instead, as nginx does with its kept-alive connections, a new
 * connection over the cap closes the connection that has been idle longest — idle meaning no
 * request in flight: just opened, between two requests, or still sending its headers — and only
 * when every open connection has a request in flight is the new one refused. A request whose body
 * is on its way is in flight and is never closed here; the request timeout bounds it.
 *
 * Node exposes no list of idle connections (closeIdleConnections closes them all), so they are
 * tracked here from the server's `connection` and `request` events: a Map keeps them in the order
 * they became idle, which makes "oldest first" O(1).
 */
export function limitConnections(server: Server, max: number, log: Log): () => ConnectionStats {
  const idle = new Map<Socket, true>();
  const inFlight = new WeakMap<Socket, number>();
  const stats = { open: 0, evicted: 0, refused: 0 };
  let unlogged = { evicted: 0, refused: 0 };
  let loggedAt = 0;

  const report = () => {
    if (Date.now() - loggedAt < LOG_EVERY_MS) return;
    loggedAt = Date.now();
    log.warn(
      { ...unlogged, open: stats.open, max },
      `connection limit reached (SLUICE_MAX_CONNECTIONS=${max}): closed ${unlogged.evicted} idle connection(s) to make room and refused ${unlogged.refused} new one(s) since the last report`,
    );
    unlogged = { evicted: 0, refused: 0 };
  };

  server.on('connection', (socket: Socket) => {
    stats.open++;
    idle.set(socket, true);
    socket.once('close', () => {
      stats.open--;
      idle.delete(socket);
    });
    if (stats.open <= max) return;
    const oldest = idle.keys().next().value;
    if (oldest !== undefined && oldest !== socket) {
      idle.delete(oldest);
      oldest.destroy();
      stats.evicted++;
      unlogged.evicted++;
    } else {
      idle.delete(socket);
      socket.destroy();
      stats.refused++;
      unlogged.refused++;
    }
    report();
  });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    idle.delete(socket);
    res.once('close', () => {
      const left = (inFlight.get(socket) ?? 1) - 1;
      inFlight.set(socket, left);
      // Back at the end of the line: idle since now.
      if (left === 0 && !socket.destroyed) idle.set(socket, true);
    });
  });

  return () => ({ open: stats.open, idle: idle.size, evicted: stats.evicted, refused: stats.refused });
}
