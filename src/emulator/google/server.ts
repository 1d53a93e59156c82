import type { IncomingMessage, ServerResponse } from 'node:http';
import { header } from '../shared/header.js';
import { startHttpServer } from '../shared/http-server.js';
import { checkPort } from '../shared/port.js';
import { readBody } from '../shared/read-body.js';
import { Sleeper } from '../shared/sleeper.js';
import { bearerToken, checkScopes } from './access.js';
import { handleAdmin, sendAdmin } from './admin.js';
import { batchUpdateRoutes } from './batch-update.js';
import { checkLoopbackHost, mergeConfig } from './config.js';
import { credentialsMissing, GoogleApiError, internalError, invalidCredentials, payloadTooLarge, quotaExceeded } from './errors.js';
import { readWindow } from './grid.js';
import { apiErrorReply, htmlErrorReply, jsonReply, notFoundPage, type Reply } from './http.js';
import { parseJsonBody } from './json.js';
import { oauthConsentRoutes } from './oauth-consent.js';
import { oauthTokenRoutes } from './oauth-token.js';
import { publishedCsvRoutes, publishTab } from './published-csv.js';
import { QuotaGate } from './quota.js';
import { RequestLog } from './request-log.js';
import type { PathParams, PlainResult, SheetsRoute } from './route.js';
import { Router } from './router.js';
import { sheetByTitle, spreadsheetRoutes } from './spreadsheets.js';
import { EmulatorStore, normalizeEmail } from './store.js';
import type { EmulatorConfig, GoogleEmulator, GoogleEmulatorOptions, RecordedRequest } from './types.js';
import { valueRoutes } from './values.js';

const DEFAULT_PORT = 12112;
/** Bodies over this get 413 (Google's API front end takes about this much). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Past this much we stop draining a too-large body and drop the connection. */
const MAX_DRAIN_BYTES = 8 * MAX_BODY_BYTES;

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * The HTTP front of the emulator. A request goes through these steps, in this order:
 * 1. `/_emulator/…` control URLs are answered at once (no latency, not recorded);
 * 2. the route is found (Google's HTML 404 otherwise) and the body size checked (413);
 * 3. OAuth and published-CSV routes answer for themselves;
 * 4. a Sheets API route needs a live Bearer token (401), then quota — `failNext` first, then the
 *    caller's per-minute count (429) — then the token's scopes (403), then its JSON body (400),
 *    then the method itself, which checks the spreadsheet exists (404) and is shared (403);
 * 5. latency, then the request is recorded and answered.
 * Quota comes after authentication because Google counts quota per user: a request without a
 * valid token has no user to charge, and must not use up a `failNext`.
 */
export async function startServer(options: GoogleEmulatorOptions = {}): Promise<GoogleEmulator> {
  const host = options.host ?? '127.0.0.1';
  checkLoopbackHost(host);
  const port = checkPort(options.port ?? DEFAULT_PORT);
  let config: EmulatorConfig = mergeConfig({ latencyMs: 0, quotaPerMinute: 0 }, options);

  const store = new EmulatorStore();
  const quota = new QuotaGate();
  const log = new RequestLog();
  const router = new Router([
    ...oauthTokenRoutes,
    ...oauthConsentRoutes,
    ...spreadsheetRoutes,
    ...batchUpdateRoutes,
    ...valueRoutes,
    ...publishedCsvRoutes,
  ]);
  const sleeper = new Sleeper();

  const emulator: GoogleEmulator = {
    url: '',
    port: 0,
    close,
    configure(changes) {
      config = mergeConfig(config, changes);
      if (changes.quotaPerMinute !== undefined) quota.reset();
    },
    reset() {
      store.resetData();
      quota.reset();
      log.clear();
    },
    share(spreadsheetId, email, role = 'writer') {
      const book = store.data.spreadsheets.get(spreadsheetId);
      if (book === undefined) throw new Error(`spreadsheetId: no spreadsheet ${JSON.stringify(spreadsheetId)}`);
      if (email.trim() === '') throw new Error('email: a non-empty email is required');
      if (normalizeEmail(email) !== book.owner) book.shares.set(normalizeEmail(email), role);
    },
    publish: (spreadsheetId, sheetId) => publishTab(store.data, spreadsheetId, sheetId, emulator.url),
    setOAuthUser(email) {
      if (email.trim() === '') throw new Error('email: a non-empty email is required');
      store.auth.oauthUser = email.trim();
    },
    registerOAuthClient(clientId, clientSecret) {
      if (clientId === '' || clientSecret === '') throw new Error('clientId and clientSecret must both be non-empty');
      store.auth.clients.set(clientId, clientSecret);
    },
    failNext(n) {
      if (!Number.isInteger(n) || n < 0) throw new Error(`n: ${JSON.stringify(n)} is not allowed; it must be an integer ≥ 0`);
      quota.failNext(n);
    },
    requests: () => log.list(),
    grid(spreadsheetId, tab) {
      const book = store.data.spreadsheets.get(spreadsheetId);
      if (book === undefined) throw new Error(`spreadsheetId: no spreadsheet ${JSON.stringify(spreadsheetId)}`);
      const sheet = sheetByTitle(book, tab);
      if (sheet === undefined)
        throw new Error(
          `tab: ${JSON.stringify(tab)} is not a tab of ${spreadsheetId}; its tabs are ${book.sheets.map((s) => JSON.stringify(s.title)).join(', ')}`,
        );
      const all = { startRow: 0, endRow: sheet.rowCount, startColumn: 0, endColumn: sheet.columnCount };
      return readWindow(sheet, all, 'FORMATTED_VALUE', 'ROWS').map((row) => row.map(String));
    },
  };

  function sheetsCall(
    route: SheetsRoute,
    params: PathParams,
    query: URLSearchParams,
    req: IncomingMessage,
    text: string,
    recorded: RecordedRequest,
  ): Reply {
    const bearer = bearerToken(store.auth, header(req, 'authorization'), Date.now());
    if (!bearer.ok) return apiErrorReply(bearer.missing ? credentialsMissing(route.rpc) : invalidCredentials(route.rpc, bearer.expired));
    const identity = bearer.token.identity;
    recorded.caller = identity;
    try {
      if (!quota.take(normalizeEmail(identity), route.access === 'read' ? 'Read' : 'Write', config.quotaPerMinute)) {
        throw quotaExceeded(route.access === 'read' ? 'Read' : 'Write', config.quotaPerMinute);
      }
      checkScopes(bearer.token, route.access, route.rpc);
      const body = route.method === 'GET' ? {} : parseJsonBody(text);
      const result = route.run({ data: store.data, identity, token: bearer.token, params, query, body, baseUrl: emulator.url });
      return jsonReply(200, result);
    } catch (error) {
      // Anything but a GoogleApiError is a bug in the emulator: Google would answer 500 too.
      return apiErrorReply(error instanceof GoogleApiError ? error : internalError());
    }
  }

  function dispatch(
    req: IncomingMessage,
    method: string,
    rawPath: string,
    query: URLSearchParams,
    text: string,
    tooLarge: boolean,
    recorded: RecordedRequest,
  ): Reply {
    const match = router.match(method, rawPath);
    if (match === undefined) return notFoundPage(rawPath);
    const { route, params } = match;
    if (route.kind === 'sheets') {
      return tooLarge ? apiErrorReply(payloadTooLarge(MAX_BODY_BYTES)) : sheetsCall(route, params, query, req, text, recorded);
    }
    if (tooLarge) return htmlErrorReply(413, 'Your client issued a request that was too large.');
    const result: PlainResult = route.run({
      store,
      params,
      query,
      body: text,
      contentType: (header(req, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '',
      authorization: header(req, 'authorization'),
      baseUrl: emulator.url,
      nowMs: Date.now(),
    });
    if (result.caller !== undefined) recorded.caller = result.caller;
    return result.reply;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
    const query = new URLSearchParams(queryAt === -1 ? '' : target.slice(queryAt + 1));
    const body = await readBody(req, MAX_BODY_BYTES, MAX_DRAIN_BYTES);
    if (body.aborted) return;
    if (rawPath.startsWith('/_emulator/')) {
      const url = new URL(`http://emulator.invalid${rawPath}?${query.toString()}`);
      const reply = body.tooLarge
        ? { status: 413, body: { error: { message: `the body is over ${MAX_BODY_BYTES} bytes` } } }
        : handleAdmin({ ...emulator, config: () => config }, method, url, body.text);
      sendAdmin(res, reply);
      return;
    }
    const recorded: RecordedRequest = { method, path: safeDecode(rawPath), status: 0 };
    const reply = dispatch(req, method, rawPath, query, body.text, body.tooLarge, recorded);
    await sleeper.sleep(config.latencyMs);
    recorded.status = reply.status;
    log.push(recorded);
    send(res, reply);
  }

  function send(res: ServerResponse, reply: Reply): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(reply.status, { ...reply.headers, 'Content-Length': Buffer.byteLength(reply.body) });
    res.end(reply.body);
  }

  const server = await startHttpServer({ host, port, name: 'Google emulator' }, (req, res) => {
    handle(req, res).catch(() => send(res, apiErrorReply(internalError())));
  });
  emulator.port = server.port;
  emulator.url = server.url;

  function close(): Promise<void> {
    sleeper.close();
    return server.close();
  }

  return emulator;
}
