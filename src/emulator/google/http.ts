import type { IncomingMessage } from 'node:http';
import type { GoogleApiError } from './errors.js';

/** A finished answer: what every route produces and the server sends. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Google pretty-prints its JSON with two spaces and ends it with a newline. */
export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=UTF-8', ...headers },
    body: `${JSON.stringify(value, null, 2)}\n`,
  };
}

export function apiErrorReply(error: GoogleApiError): Reply {
  const headers: Record<string, string> = error.code === 401 ? { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/"' } : {};
  return jsonReply(error.code, error.body(), headers);
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Request Entity Too Large',
};

/** Google's bare HTML error page ("404. That’s an error."), as its front end sends for unknown URLs. */
export function htmlErrorReply(status: number, message: string): Reply {
  const reason = REASONS[status] ?? 'Error';
  const body =
    `<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <title>Error ${status} (${reason})!!1</title>\n` +
    `  <p><b>${status}.</b> <ins>That’s an error.</ins>\n  <p>${escapeHtml(message)}  <ins>That’s all we know.</ins>\n`;
  return { status, headers: { 'Content-Type': 'text/html; charset=UTF-8' }, body };
}

export const notFoundPage = (path: string): Reply => htmlErrorReply(404, `The requested URL ${path} was not found on this server.`);

export interface Body {
  text: string;
  tooLarge: boolean;
  /** The client went away before the body ended: there is nobody to answer. */
  aborted: boolean;
}

/**
 * Reads a request body up to `limit` bytes. A larger body is drained (so the client can read the
 * 413 rather than see a reset) until `drainLimit`, past which the connection is dropped.
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

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
