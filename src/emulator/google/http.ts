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
