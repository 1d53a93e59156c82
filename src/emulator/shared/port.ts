/**
 * Checks a TCP port option before listening, so a bad value fails with a message naming the
 * option rather than with Node's `ERR_SOCKET_BAD_PORT` from deep inside `listen`.
 */
export function checkPort(port: unknown): number {
  if (typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65_535) return port;
  throw new Error(`port: ${JSON.stringify(port)} is not allowed; it must be an integer from 0 to 65535 (0 picks a free port)`);
}
