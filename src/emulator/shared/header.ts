import type { IncomingMessage } from 'node:http';

/**
 * One request header as a string. Node gives a few headers, when repeated, as an array; the
 * emulators read the first value.
 */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
