import type { ServerResponse } from 'node:http';
import { isObject, type JsonObject } from './json.js';
import type { EmulatorConfig, GoogleEmulator } from './types.js';

/**
 * `/_emulator/…`: JSON controls for tests that run Sluice in a child process and cannot call the
 * emulator object. No auth (loopback only), no latency, not recorded.
 *
 *   GET  /_emulator/requests
 *   GET  /_emulator/grid?spreadsheetId=…&tab=…    → {"values": [[…]]}
 *   POST /_emulator/reset
 *   POST /_emulator/share         {"spreadsheetId", "email", "role"?: "reader"|"writer"}
 *   POST /_emulator/publish       {"spreadsheetId", "sheetId"?}  → {"url"}
 *   POST /_emulator/config        {"latencyMs"?, "quotaPerMinute"?}  → the configuration
 *   POST /_emulator/oauth-user    {"email"}
 *   POST /_emulator/oauth-client  {"clientId", "clientSecret"}
 *   POST /_emulator/fail-next     {"n"}
 */
export type AdminControls = Omit<GoogleEmulator, 'url' | 'port' | 'close'> & { config(): EmulatorConfig };

interface AdminReply {
  status: number;
  body: unknown;
}

type AdminHandler = (controls: AdminControls, body: JsonObject, url: URL) => unknown;

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function text(body: JsonObject, name: string, example: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw new AdminError(400, `${name}: a non-empty string is required, e.g. ${example}`);
  return value;
}

function onlyKeys(body: JsonObject, allowed: readonly string[]): void {
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw new AdminError(400, `${unknown.join(', ')}: unknown; allowed are ${allowed.join(', ')}`);
}

const ok = { ok: true };

const HANDLERS: Readonly<Record<string, AdminHandler>> = {
  'GET /_emulator/requests': (c) => c.requests(),
  'GET /_emulator/grid': (c, _body, url) => ({
    values: c.grid(url.searchParams.get('spreadsheetId') ?? '', url.searchParams.get('tab') ?? ''),
  }),
  'POST /_emulator/reset': (c) => {
    c.reset();
    return ok;
  },
  'POST /_emulator/share': (c, body) => {
    const role = body.role ?? 'writer';
    if (role !== 'reader' && role !== 'writer')
      throw new AdminError(400, `role: ${JSON.stringify(role)} is not allowed; use "reader" or "writer"`);
    c.share(
      text(body, 'spreadsheetId', '{"spreadsheetId":"1Bx…"}'),
      text(body, 'email', '{"email":"bot@project.iam.gserviceaccount.com"}'),
      role,
    );
    return ok;
  },
  'POST /_emulator/publish': (c, body) => {
    const sheetId = body.sheetId;
    if (sheetId !== undefined && !Number.isInteger(sheetId))
      throw new AdminError(400, `sheetId: ${JSON.stringify(sheetId)} is not a tab id (an integer)`);
    return { url: c.publish(text(body, 'spreadsheetId', '{"spreadsheetId":"1Bx…"}'), sheetId as number | undefined) };
  },
  'POST /_emulator/config': (c, body) => {
    onlyKeys(body, ['latencyMs', 'quotaPerMinute']);
    // The values are checked by `configure` itself, which names the option in its error.
    c.configure(body as Parameters<AdminControls['configure']>[0]);
    return c.config();
  },
  'POST /_emulator/oauth-user': (c, body) => {
    c.setOAuthUser(text(body, 'email', '{"email":"ana@example.com"}'));
    return ok;
  },
  'POST /_emulator/oauth-client': (c, body) => {
    c.registerOAuthClient(
      text(body, 'clientId', '{"clientId":"123.apps.googleusercontent.com"}'),
      text(body, 'clientSecret', '{"clientSecret":"GOCSPX-…"}'),
    );
    return ok;
  },
  'POST /_emulator/fail-next': (c, body) => {
    const n = body.n;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
      throw new AdminError(400, `n: ${JSON.stringify(n)} is not allowed; it must be an integer ≥ 0`);
    c.failNext(n);
    return ok;
  },
};

export function handleAdmin(controls: AdminControls, method: string, url: URL, rawBody: string): AdminReply {
  const handler = HANDLERS[`${method} ${url.pathname}`];
  if (handler === undefined)
    return { status: 404, body: { error: { message: `Unrecognized emulator control URL (${method}: ${url.pathname}).` } } };
  try {
    let body: unknown = {};
    if (rawBody.trim() !== '') {
      try {
        body = JSON.parse(rawBody);
      } catch (error) {
        throw new AdminError(400, `the body is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    if (!isObject(body)) throw new AdminError(400, 'the body must be a JSON object');
    return { status: 200, body: handler(controls, body, url) };
  } catch (error) {
    const status = error instanceof AdminError ? error.status : 400;
    return { status, body: { error: { message: error instanceof Error ? error.message : String(error) } } };
  }
}

export function sendAdmin(res: ServerResponse, reply: AdminReply): void {
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
