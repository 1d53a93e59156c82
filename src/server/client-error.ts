import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * Answers a request Node's HTTP parser gave up on, before any route saw it, with the JSON error
 * every other answer has (Fastify's default says only "Client Error"):
 * - a body cut short: the client closed its side of the connection before sending as many bytes
 *   as its Content-Length announced (HPE_INVALID_EOF_STATE);
 * - headers too large (431), a request too slow to arrive (408), anything else that is not HTTP (400).
 * Nothing was recorded for such a request: no route ran.
 */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] = describe(error, socket);
  this.log.debug({ err: { code: error.code, message: error.message } }, 'client error');
  if (socket.writable && !responseStarted(socket)) {
    const body = JSON.stringify({ error: { message } });
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

function describe(error: Error & { code?: string }, socket: Socket): [number, string] {
  switch (error.code) {
    case 'HPE_INVALID_EOF_STATE': {
      const length = requestOf(socket)?.headers['content-length'];
      return [
        400,
        `the connection was closed before the whole body arrived: the body is shorter than its Content-Length${length === undefined ? '' : ` (${length} bytes)`}; send the whole body`,
      ];
    }
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'the request took too long to arrive; send it again'];
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'the request headers are too large'];
    default:
      return [400, `the request is not valid HTTP (${error.code ?? error.message})`];
  }
}

/** The request being read on this socket, when Node still holds it. */
function requestOf(socket: Socket): http.IncomingMessage | undefined {
  return (socket as Socket & { _httpMessage?: http.ServerResponse })._httpMessage?.req;
}

/** Whether an answer already began on this socket, so that writing another would garble it. */
function responseStarted(socket: Socket): boolean {
  return (socket as Socket & { _httpMessage?: http.ServerResponse })._httpMessage?.headersSent === true;
}
