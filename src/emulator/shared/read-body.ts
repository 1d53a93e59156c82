import type { IncomingMessage } from 'node:http';

export interface Body {
  /** The body as UTF-8; empty when it was too large or aborted. */
  text: string;
  tooLarge: boolean;
  /** The client went away before the body ended: there is nobody to answer. */
  aborted: boolean;
}

/**
 * Reads a whole request body, up to `limit` bytes, before the emulator answers. Both emulators need
 * the body before they can decide anything (size, then auth, then parameters), and neither wants
 * to buffer without bound. A larger body is flagged `tooLarge` and still drained, so the client
 * gets to read the 413 instead of seeing a reset connection; past `drainLimit` draining is no
 * longer worth it, and the connection is dropped (`aborted`).
 */
export function readBody(req: IncomingMessage, limit: number, drainLimit: number): Promise<Body> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    let done = false;
    const finish = (aborted: boolean): void => {
      if (done) return;
      done = true;
      resolve({ text: tooLarge || aborted ? '' : Buffer.concat(chunks).toString('utf8'), tooLarge, aborted });
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      tooLarge = true;
      chunks.length = 0;
      if (size > drainLimit) {
        req.destroy();
        finish(true);
      }
    });
    req.on('end', () => finish(false));
    req.on('error', () => finish(true));
    req.on('close', () => finish(!req.complete));
  });
}
