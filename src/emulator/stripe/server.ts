import type { IncomingMessage, ServerResponse } from 'node:http';
import { header } from '../shared/header.js';
import { startHttpServer } from '../shared/http-server.js';
import { checkPort } from '../shared/port.js';
import { readBody } from '../shared/read-body.js';
import { Sleeper } from '../shared/sleeper.js';
import { handleAdmin, sendAdmin } from './admin.js';
import { authenticate } from './auth.js';
import { checkLoopbackHost, mergeConfig } from './config.js';
import type { RequestContext } from './context.js';
import { apiError, errorEnvelope, invalidRequest, StripeError, stripeError } from './errors.js';
import { parseForm, type FormObject } from './form.js';
import { fingerprint, IdempotencyStore, type Claim } from './idempotency.js';
import { newId } from './ids.js';
import { listObjects } from './objects.js';
import { RateLimiter } from './rate-limit.js';
import { RequestLog } from './request-log.js';
import { apiRouter } from './routes.js';
import { EmulatorStore, type Mode } from './store.js';
import type { EmulatorConfig, RecordedRequest, StripeEmulator, StripeEmulatorOptions } from './types.js';
import { WriteFaults, type WriteFaultKind } from './write-faults.js';

const DEFAULT_PORT = 12111;
const DEFAULT_API_VERSION = '2026-10-28.endive';
/** Bodies over this get 413; Stripe's own requests are a few kilobytes. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Past this much we stop draining a too-large body and drop the connection. */
const MAX_DRAIN_BYTES = 64 * MAX_BODY_BYTES;
const MAX_IDEMPOTENCY_KEY = 255;
/** The request log keeps 100,000 requests; capping each body keeps that bounded in memory. */
const MAX_RECORDED_BODY = 64 * 1024;

interface Outcome {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** What `execute` decided: the answer, whether it is stored for the key, and a write fault to apply. */
interface Executed extends Outcome {
  stored: boolean;
  writeFault?: WriteFaultKind;
}

function errorOutcome(error: StripeError, headers: Record<string, string> = {}): Outcome {
  return { status: error.status, body: json(errorEnvelope(error.body)), headers };
}

/** Stripe pretty-prints its JSON with two spaces. */
function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * The HTTP front of the emulator. A request goes through these steps, in this order because
 * each one decides what the next may change:
 * 1. admin URLs are answered at once (no faults, no latency, not recorded);
 * 2. an injected fault (500 or dropped connection) — before anything, so it changes nothing;
 * 3. body size, auth, rate limit, route: rejections that leave no trace but the log;
 * 4. idempotency claim, then parameter validation (a failure releases the claim);
 * 5. execution; its result, error or 500, is stored for the idempotency key — a write fault
 *    (write-faults.ts) strikes here, once the write is done: the answer becomes a 500 (and that
 *    500 is what is stored), a dropped connection or no answer at all (the success is stored);
 * 6. latency, then the key's claim is marked done and the response is sent.
 * The key stays "in use" through the latency, so a retry that overtakes the first request gets
 * 409, as it would against Stripe while the first request is still running.
 */
export async function startEmulatorServer(options: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const host = options.host ?? '127.0.0.1';
  checkLoopbackHost(host);
  const port = checkPort(options.port ?? DEFAULT_PORT);
  let config: EmulatorConfig = mergeConfig({ latencyMs: 0, rateLimit: 0, faultRate: 0, afterWriteFaultRate: 0 }, options);
  const random = options.random ?? Math.random;
  const nowMs = options.now ?? Date.now;

  const accountId = newId.account();
  const store = new EmulatorStore();
  const idempotency = new IdempotencyStore(nowMs);
  const rateLimiter = new RateLimiter();
  const log = new RequestLog();
  const writeFaults = new WriteFaults();
  let revoked = new Set<string>();
  const router = apiRouter();
  const sleeper = new Sleeper();

  const context = (mode: Mode): RequestContext => ({
    data: store.account(mode),
    livemode: mode === 'live',
    now: Math.floor(nowMs() / 1000),
    accountId,
  });

  const emulator: StripeEmulator = {
    url: '',
    port: 0,
    close,
    configure(changes) {
      config = mergeConfig(config, changes);
      if (changes.rateLimit !== undefined) rateLimiter.reset();
    },
    revokeKey(key) {
      revoked.add(key);
    },
    failNextWrites(faults) {
      writeFaults.arm(faults);
    },
    reset() {
      store.reset();
      idempotency.reset();
      writeFaults.reset();
      rateLimiter.reset();
      log.clear();
      revoked = new Set();
    },
    requests: () => log.list(),
    objects: (kind, mode = 'test') => listObjects(kind, context(mode)),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://emulator.invalid');
    } catch {
      url = new URL('http://emulator.invalid/');
    }
    const body = await readBody(req, MAX_BODY_BYTES, MAX_DRAIN_BYTES);
    if (body.aborted) return;
    if (url.pathname.startsWith('/_emulator/')) {
      const reply = body.tooLarge
        ? { status: 413, body: { error: { message: `the body is over ${MAX_BODY_BYTES} bytes` } } }
        : handleAdmin({ ...emulator, config: () => config }, method, url, body.text);
      sendAdmin(res, reply);
      return;
    }

    const requestId = newId.request();
    const idempotencyKey = method === 'POST' ? header(req, 'idempotency-key') : undefined;
    const recorded: RecordedRequest = {
      method,
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      body: body.text.length > MAX_RECORDED_BODY ? body.text.slice(0, MAX_RECORDED_BODY) : body.text,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      status: 0,
    };
    const auth = authenticate(header(req, 'authorization'), revoked);
    if (auth.ok) recorded.mode = auth.mode;
    const { latencyMs } = config;

    const draw = config.faultRate > 0 ? random() : 1;
    if (draw < config.faultRate) {
      await sleeper.sleep(latencyMs);
      log.push(recorded);
      if (draw < config.faultRate / 2) {
        recorded.status = 500;
        respond(res, requestId, req, errorOutcome(apiError()));
      } else {
        req.socket.destroy();
      }
      return;
    }

    let claim: Claim | undefined;
    const executed = execute();
    await sleeper.sleep(latencyMs);
    const { writeFault } = executed;
    // Stripe stores a 500 that happens after the write like any other result; a dropped or
    // unanswered connection changes nothing on Stripe's side, so the success is stored.
    const outcome = writeFault === '500' ? errorOutcome(apiError()) : executed;
    if (claim?.kind === 'started') {
      if (executed.stored) claim.finish({ status: outcome.status, body: outcome.body, requestId });
      else claim.abandon();
    }
    if (writeFault !== undefined) recorded.writeFault = writeFault;
    if (writeFault === 'drop' || writeFault === 'timeout') {
      log.push(recorded);
      if (writeFault === 'timeout') await untilClosed(res);
      req.socket.destroy();
      return;
    }
    recorded.status = outcome.status;
    log.push(recorded);
    respond(res, requestId, req, outcome);

    function execute(): Executed {
      const early = (o: Outcome): Executed => ({ ...o, stored: false });
      if (body.tooLarge) {
        return early(errorOutcome(invalidRequest(`Request body too large: the limit is ${MAX_BODY_BYTES} bytes.`, { status: 413 })));
      }
      if (!auth.ok) return early(errorOutcome(auth.error, { 'WWW-Authenticate': 'Bearer realm="Stripe"' }));
      if (!rateLimiter.take(auth.mode, config.rateLimit)) {
        return early(
          errorOutcome(
            invalidRequest('Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.', {
              code: 'rate_limit',
              status: 429,
            }),
            { 'Stripe-Rate-Limited-Reason': 'global-rate' },
          ),
        );
      }
      const match = router.match(method, url.pathname);
      if (match === undefined) {
        return early(
          errorOutcome(
            invalidRequest(
              `Unrecognized request URL (${method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
              { status: 404 },
            ),
          ),
        );
      }
      let params: FormObject;
      try {
        params = readParams(req, method, url, body.text);
      } catch (error) {
        return early(errorOutcome(error instanceof StripeError ? error : apiError()));
      }
      if (idempotencyKey !== undefined && idempotencyKey !== '') {
        if (idempotencyKey.length > MAX_IDEMPOTENCY_KEY) {
          return early(
            errorOutcome(
              invalidRequest(
                `Invalid Idempotency-Key: it is ${idempotencyKey.length} characters long; keys can be at most ${MAX_IDEMPOTENCY_KEY} characters.`,
              ),
            ),
          );
        }
        claim = idempotency.claim(auth.mode, idempotencyKey, fingerprint(method, url.pathname, params));
        if (claim.kind === 'replay') {
          return early({
            status: claim.response.status,
            body: claim.response.body,
            headers: { 'Idempotent-Replayed': 'true', 'Original-Request': claim.response.requestId },
          });
        }
        if (claim.kind === 'mismatch') {
          return early(
            errorOutcome(
              stripeError(
                'idempotency_error',
                `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
              ),
            ),
          );
        }
        if (claim.kind === 'in_use') {
          return early(
            errorOutcome(
              invalidRequest(
                `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${idempotencyKey}. Please try again later.`,
                { code: 'idempotency_key_in_use', status: 409 },
              ),
            ),
          );
        }
      }
      let run: (ctx: RequestContext) => unknown;
      try {
        run = match.route.prepare(params, match.path);
      } catch (error) {
        return early(errorOutcome(error instanceof StripeError ? error : apiError()));
      }
      const isWrite = method === 'POST';
      if (isWrite && writeFaults.peek(url.pathname) === '500-not-written') {
        // The endpoint started and failed part way: nothing is written, the 500 is stored.
        writeFaults.take(url.pathname);
        return { ...errorOutcome(apiError()), stored: true, writeFault: '500-not-written' };
      }
      let result: string;
      try {
        result = json(run(context(auth.mode)));
      } catch (error) {
        // Anything but a StripeError is a bug in the endpoint: Stripe answers (and stores) a 500.
        return { ...errorOutcome(error instanceof StripeError ? error : apiError()), stored: true };
      }
      const writeFault = isWrite ? (writeFaults.take(url.pathname) ?? drawWriteFault()) : undefined;
      return { status: 200, body: result, headers: {}, stored: true, ...(writeFault && { writeFault }) };
    }
  }

  /** `afterWriteFaultRate`, half 500s and half dropped connections, drawn from the random source. */
  function drawWriteFault(): WriteFaultKind | undefined {
    const rate = config.afterWriteFaultRate;
    if (rate <= 0) return undefined;
    const draw = random();
    if (draw < rate / 2) return '500';
    if (draw < rate) return 'drop';
    return undefined;
  }

  function respond(res: ServerResponse, requestId: string, req: IncomingMessage, outcome: Outcome): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(outcome.status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(outcome.body),
      'Request-Id': requestId,
      'Stripe-Version': header(req, 'stripe-version') ?? DEFAULT_API_VERSION,
      'Cache-Control': 'no-cache, no-store',
      ...outcome.headers,
    });
    res.end(outcome.body);
  }

  const server = await startHttpServer({ host, port, name: 'Stripe emulator' }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(json(errorEnvelope(apiError().body)));
      }
    });
  });
  emulator.port = server.port;
  emulator.url = server.url;

  function close(): Promise<void> {
    sleeper.close();
    return server.close();
  }

  return emulator;
}

/** Resolves once the client gives up on the response (its timeout) or the emulator closes. */
function untilClosed(res: ServerResponse): Promise<void> {
  if (res.destroyed || res.socket?.destroyed !== false) return Promise.resolve();
  return new Promise((resolve) => res.once('close', () => resolve()));
}

/**
 * POST parameters come from the form body (query parameters are merged under them); GET and
 * DELETE parameters from the query string. A body that is not a form is refused, as Stripe does.
 */
function readParams(req: IncomingMessage, method: string, url: URL, text: string): FormObject {
  const query = parseForm(url.search.replace(/^\?/, ''));
  if (text === '') return query;
  const type = (header(req, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== '' && type !== 'application/x-www-form-urlencoded') {
    throw invalidRequest(
      `Invalid request: unsupported Content-Type ${type}. If error persists and you need assistance, please contact support@stripe.com.`,
    );
  }
  if (method === 'GET') return query;
  return { ...query, ...parseForm(text) };
}
