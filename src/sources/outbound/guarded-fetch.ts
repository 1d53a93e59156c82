import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import type { OutboundConfig } from '../../config.js';
import { checkAddress, type AddressVerdict } from './address-policy.js';

/**
 * The one way Sluice reads a URL that a user typed (a CSV URL, a published sheet link). See
 * NOTES.md beside this file for what it guarantees; in short:
 *
 * - every address a socket is opened to is checked by address-policy.ts first: a name's addresses
 *   in the DNS lookup that the socket itself uses (so a name cannot resolve to a public address
 *   for a check and to an internal one for the connection), an IP literal before connecting;
 * - redirects are followed here, at most MAX_REDIRECTS, each to an http(s) address and through the
 *   same check; credentials go to the first origin only;
 * - one deadline covers the whole fetch, redirects and body, and the body is cut at a byte limit;
 * - a failure before any HTTP answer reads the same whatever the cause (no name, refused, reset,
 *   TLS, not HTTP), so that messages do not tell which ports are open.
 */

const MiB = 1024 * 1024;

/** The settings when a caller gives none: a forgotten `outbound` is still guarded. */
export const DEFAULT_OUTBOUND: OutboundConfig = { timeoutMs: 60_000, maxBytes: 200 * MiB, allowPrivate: false };

/** Redirects followed at most; a sixth is refused. */
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to all its addresses (Default: the system resolver, as `dns.lookup` with `all`). */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

/** The part of a fetch response read here; undici's and Node's global fetch both fit. */
export interface FetchResponse {
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  body: ReadableStream<Uint8Array> | null;
}

export type FetchLike = (
  url: string,
  init: { headers: Record<string, string>; redirect: 'manual'; signal: AbortSignal },
) => Promise<FetchResponse>;

export interface OutboundFetchOptions {
  /** How messages name what is read, without credentials or query string ("CSV URL https://…/a.csv"). */
  source: string;
  /** SLUICE_FETCH_TIMEOUT_MS, SLUICE_FETCH_MAX_BYTES, SLUICE_ALLOW_PRIVATE_URLS. (Default: DEFAULT_OUTBOUND) */
  outbound?: Partial<OutboundConfig> | undefined;
  /** A caller's own byte limit; the smaller of it and `outbound.maxBytes` applies. */
  maxBytes?: number | undefined;
  /** The `accept` header. (Default: any) */
  accept?: string | undefined;
  /** Stops the fetch: it then throws the signal's reason, as fetch does. */
  signal?: AbortSignal | undefined;
  /**
   * Test seam: resolves host names instead of the system resolver. Its answers are checked like
   * the system's (a test of DNS rebinding answers differently on each call).
   */
  resolve?: Resolve | undefined;
  /**
   * Test seam: judges addresses instead of address-policy.ts (so that a test can call one loopback
   * address "public" and connect to it, where the real policy would refuse every test server).
   */
  check?: ((address: string) => AddressVerdict) | undefined;
  /**
   * Test seam: replaces undici's fetch, and with it the address check (which lives in undici's
   * connector). Redirects, the deadline, the byte limit and the messages still apply. Production
   * code never passes it.
   */
  fetch?: FetchLike | undefined;
}

export interface OutboundResponse {
  status: number;
  statusText: string;
  ok: boolean;
  headers: { get(name: string): string | null };
  /** The body, cut at the byte limit and the deadline (each throws an OutboundError). */
  body: AsyncGenerator<Uint8Array>;
  /** Hangs up without reading the body (or the rest of it). */
  cancel(): Promise<void>;
}

export type OutboundErrorKind = 'not_allowed' | 'unreadable' | 'timeout' | 'too_large';

/** A fetch that failed for a reason the user can act on; its message is shown as it is. */
export class OutboundError extends Error {
  override name = 'OutboundError';
  constructor(
    readonly kind: OutboundErrorKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Origin and path only: a query string may hold a token, and credentials must never show. */
export function safeUrl(url: string | URL): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(an invalid URL)';
  }
}

/** "200 MiB" or "999 bytes". */
export function sizeText(bytes: number): string {
  return bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`;
}

/**
 * GETs `url` through the guard and follows its redirects. Resolves with the final answer whatever
 * its status (the caller says what a 404 means for its source); rejects with an OutboundError, or
 * with the signal's reason when the caller's signal stopped it.
 */
export async function fetchOutbound(url: string, o: OutboundFetchOptions): Promise<OutboundResponse> {
  const settings: OutboundConfig = { ...DEFAULT_OUTBOUND, ...o.outbound };
  const maxBytes = Math.min(settings.maxBytes, o.maxBytes ?? Infinity);
  const deadline = new Deadline(settings.timeoutMs, o.signal);
  const fetchImpl = o.fetch ?? guardedFetch(settings.allowPrivate, o);
  let response: FetchResponse;
  try {
    response = await follow(url, o, fetchImpl, deadline);
    const length = Number(response.headers.get('content-length') ?? '');
    if (response.status >= 200 && response.status < 300 && Number.isFinite(length) && length > maxBytes) {
      await response.body?.cancel().catch(() => {});
      throw tooLarge(o.source, maxBytes);
    }
  } catch (error) {
    deadline.end();
    throw deadline.explain(error, o.source);
  }
  const body = bodyBytes(response.body, o.source, maxBytes, deadline);
  return {
    status: response.status,
    statusText: response.statusText,
    ok: response.status >= 200 && response.status < 300,
    headers: response.headers,
    body,
    async cancel() {
      deadline.end();
      await body.return(undefined);
      // A body never iterated is not locked by a reader yet: cancel it directly.
      await response.body?.cancel().catch(() => {});
    },
  };
}

async function follow(url: string, o: OutboundFetchOptions, fetchImpl: FetchLike, deadline: Deadline): Promise<FetchResponse> {
  let target = httpUrl(url, o.source, undefined);
  // fetch refuses a URL with credentials: they go as Basic auth, to the origin they were typed for.
  let authorization: string | undefined;
  const authOrigin = target.origin;
  if (target.username !== '' || target.password !== '') {
    const user = decodeURIComponent(target.username);
    const password = decodeURIComponent(target.password);
    authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    target.username = '';
    target.password = '';
  }
  for (let redirects = 0; ; redirects++) {
    const headers: Record<string, string> = { accept: o.accept ?? '*/*' };
    if (authorization !== undefined && target.origin === authOrigin) headers.authorization = authorization;
    let response: FetchResponse;
    try {
      response = await fetchImpl(target.href, { headers, redirect: 'manual', signal: deadline.signal });
    } catch (error) {
      throw redirects === 0 ? error : new RedirectFailure(target, error);
    }
    const location = response.headers.get('location');
    if (!REDIRECT_STATUSES.has(response.status) || location === null) return response;
    await response.body?.cancel().catch(() => {});
    if (redirects >= MAX_REDIRECTS) {
      throw new OutboundError('unreadable', `${o.source} could not be read: it redirects more than ${MAX_REDIRECTS} times`);
    }
    target = httpUrl(location, o.source, target);
    // Credentials written into a redirect's address are never used: the user did not type them.
    target.username = '';
    target.password = '';
  }
}

/** `text` as an http(s) URL (relative to `base` for a redirect), or an OutboundError that says why not. */
function httpUrl(text: string, source: string, base: URL | undefined): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    const what = base === undefined ? 'it is not a valid URL' : 'it redirects to an invalid address';
    throw new OutboundError('unreadable', `${source} could not be read: ${what}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const what = base === undefined ? `it is a ${url.protocol} address` : `it redirects to a ${url.protocol} address`;
    throw new OutboundError('unreadable', `${source} could not be read: ${what}; only http and https are read`);
  }
  return url;
}

async function* bodyBytes(
  body: ReadableStream<Uint8Array> | null,
  source: string,
  maxBytes: number,
  deadline: Deadline,
): AsyncGenerator<Uint8Array> {
  if (body === null) return deadline.end();
  const reader = body.getReader();
  let total = 0;
  try {
    for (;;) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (error) {
        throw deadline.explain(error, source, 'to the end');
      }
      if (next.done) return;
      total += next.value.byteLength;
      if (total > maxBytes) throw tooLarge(source, maxBytes);
      yield next.value;
    }
  } finally {
    deadline.end();
    await reader.cancel().catch(() => {});
  }
}

function tooLarge(source: string, maxBytes: number): OutboundError {
  return new OutboundError('too_large', `${source} is larger than ${sizeText(maxBytes)}, the most Sluice reads from one file`);
}

/** A hop after a redirect failed: the message names where the redirect went. */
class RedirectFailure extends Error {
  constructor(
    readonly target: URL,
    cause: unknown,
  ) {
    super('redirect failed', { cause });
  }
}

/** The connector refused an address; carried by undici as the cause of "fetch failed". */
class AddressNotAllowed extends Error {
  constructor(
    readonly host: string,
    readonly literal: boolean,
    readonly kind: string,
    readonly privateNetwork: boolean,
  ) {
    super(`${host} is not allowed (${kind})`);
  }
}

/**
 * The fetch's one deadline, joined with the caller's signal; turns whatever a fetch threw into
 * the message the user sees.
 */
class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort: () => void;
  private timedOut = false;

  constructor(
    private readonly timeoutMs: number,
    private readonly caller: AbortSignal | undefined,
  ) {
    caller?.throwIfAborted();
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new OutboundError('timeout', 'timed out'));
    }, timeoutMs);
    // The fetch's socket keeps the process alive while it runs; the timer alone should not.
    this.timer.unref();
    this.onAbort = () => this.controller.abort(caller?.reason);
    caller?.addEventListener('abort', this.onAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  end(): void {
    clearTimeout(this.timer);
    this.caller?.removeEventListener('abort', this.onAbort);
  }

  /** The error to throw for `error`, raised while fetching (or, with `part`, reading the body). */
  explain(error: unknown, source: string, part?: 'to the end'): unknown {
    if (this.caller?.aborted === true) return this.caller.reason;
    if (this.timedOut) {
      return new OutboundError(
        'timeout',
        `${source} could not be read${part ? ` ${part}` : ''}: timed out after ${this.timeoutMs / 1000} s`,
      );
    }
    if (error instanceof OutboundError) return error;
    const redirect = error instanceof RedirectFailure ? error : undefined;
    const refused = findCause(error, AddressNotAllowed);
    if (refused !== undefined) {
      const where = redirect === undefined ? '' : `it redirects to ${safeUrl(redirect.target)}: `;
      const what = refused.literal ? `${refused.host} is ${refused.kind}` : `${refused.host} resolves to ${refused.kind}`;
      const hint = refused.privateNetwork
        ? 'Sluice reads only public addresses unless its operator sets SLUICE_ALLOW_PRIVATE_URLS=1'
        : 'Sluice never reads from it';
      return new OutboundError('not_allowed', `${source} could not be read: this address is not allowed (${where}${what}; ${hint})`, {
        cause: error,
      });
    }
    // Deliberately one message for every failure before an HTTP answer: no such name, connection
    // refused or reset, TLS failure, an open port that does not speak HTTP. Telling them apart
    // would tell a user which ports answer where (the cause stays on the error, for logs).
    if (part !== undefined) {
      return new OutboundError('unreadable', `${source} could not be read ${part}: the connection was closed`, { cause: error });
    }
    const where = redirect === undefined ? '' : ` (it redirects to ${safeUrl(redirect.target)})`;
    return new OutboundError('unreadable', `${source} could not be read: no HTTP answer${where}; check the address`, { cause: error });
  }
}

function findCause<T extends Error>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof type) return e;
  }
  return undefined;
}

const systemResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

type Check = (address: string) => AddressVerdict;

/**
 * The DNS lookup the socket uses: resolves every address of the name, refuses the name if any of
 * them is not allowed (a name with one internal address among public ones could be steered
 * there), and hands the socket only addresses it checked.
 */
function guardedLookup(check: Check, resolve: Resolve): LookupFunction {
  return (hostname, options, callback) => {
    const answered = (answers: ResolvedAddress[]) => {
      for (const { address } of answers) {
        const verdict = check(address);
        if (!verdict.allowed) return callback(new AddressNotAllowed(hostname, false, verdict.kind, verdict.privateNetwork), '', 0);
      }
      const family = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
      const usable = family === 0 ? answers : answers.filter((a) => a.family === family);
      const first = usable[0];
      if (first === undefined) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all === true) return callback(null, usable);
      return callback(null, first.address, first.family);
    };
    // Two handlers, not then/catch: an exception thrown by the socket's callback is not a DNS failure.
    resolve(hostname).then(answered, (error: unknown) => callback(error as NodeJS.ErrnoException, '', 0));
  };
}

/** undici's connector with the check in front: IP literals here (they skip the lookup), names in the lookup. */
function guardedConnector(check: Check, resolve: Resolve): buildConnector.connector {
  const connect = buildConnector({ lookup: guardedLookup(check, resolve) });
  return (options, callback) => {
    const host = options.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host) !== 0) {
      const verdict = check(host);
      if (!verdict.allowed) return callback(new AddressNotAllowed(host, true, verdict.kind, verdict.privateNetwork), null);
    }
    return connect(options, callback);
  };
}

function guardedAgent(check: Check, resolve: Resolve): Agent {
  // undici's own header and body timeouts are off: the Deadline covers both, and the whole fetch.
  return new Agent({ connect: guardedConnector(check, resolve), headersTimeout: 0, bodyTimeout: 0 });
}

/**
 * One undici Agent per policy, made once: pooled connections were made to checked addresses, and
 * an Agent made under SLUICE_ALLOW_PRIVATE_URLS is never shared with one made without it.
 */
const agents = new Map<boolean, Agent>();

function guardedFetch(allowPrivate: boolean, seams: Pick<OutboundFetchOptions, 'resolve' | 'check'>): FetchLike {
  let dispatcher: Agent;
  if (seams.resolve === undefined && seams.check === undefined) {
    dispatcher = agents.get(allowPrivate) ?? guardedAgent((address) => checkAddress(address, { allowPrivate }), systemResolve);
    agents.set(allowPrivate, dispatcher);
  } else {
    // Tests only: an Agent of their own per fetch, so that no connection is pooled across seams.
    dispatcher = guardedAgent(seams.check ?? ((address) => checkAddress(address, { allowPrivate })), seams.resolve ?? systemResolve);
  }
  return (url, init) => undiciFetch(url, { ...init, dispatcher });
}
