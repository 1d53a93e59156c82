import type { ServerResponse } from 'node:http';
import { TUNABLE_KEYS } from './config.js';
import { isObjectKind, OBJECT_KINDS } from './objects.js';
import type { ArmedWriteFaults, StripeEmulator } from './types.js';

/**
 * `/_emulator/…`: JSON control endpoints for tests that run Sluice in a child process and cannot
 * call the emulator object directly. No auth (the emulator only listens on loopback), no latency,
 * no faults, not recorded.
 *
 *   GET  /_emulator/requests
 *   POST /_emulator/reset
 *   POST /_emulator/keys/revoke   {"key": "sk_test_…"}
 *   POST /_emulator/config        {"latencyMs"?, "rateLimit"?, "faultRate"?, "afterWriteFaultRate"?}
 *   POST /_emulator/faults/next-writes  {"kind": "500"|"drop"|"timeout"|"500-not-written", "count"?, "path"?}
 *   GET  /_emulator/objects/:kind?mode=test|live
 */
export type AdminControls = Pick<StripeEmulator, 'requests' | 'reset' | 'revokeKey' | 'configure' | 'failNextWrites' | 'objects'> & {
  config(): unknown;
};

interface AdminReply {
  status: number;
  body: unknown;
}

const fail = (status: number, message: string): AdminReply => ({ status, body: { error: { message } } });

export function handleAdmin(controls: AdminControls, method: string, url: URL, body: string): AdminReply {
  const path = url.pathname;
  if (method === 'GET' && path === '/_emulator/requests') return { status: 200, body: controls.requests() };
  if (method === 'POST' && path === '/_emulator/reset') {
    controls.reset();
    return { status: 200, body: { ok: true } };
  }
  if (method === 'POST' && path === '/_emulator/keys/revoke') {
    const json = parseJson(body);
    if (!json.ok) return fail(400, json.error);
    const key = isRecord(json.value) ? json.value.key : undefined;
    if (typeof key !== 'string' || key === '') return fail(400, 'key: a non-empty string is required, e.g. {"key":"sk_test_…"}');
    controls.revokeKey(key);
    return { status: 200, body: { ok: true } };
  }
  if (method === 'POST' && path === '/_emulator/config') {
    const json = parseJson(body);
    if (!json.ok) return fail(400, json.error);
    if (!isRecord(json.value)) return fail(400, 'the body must be a JSON object like {"latencyMs":100}');
    const unknown = Object.keys(json.value).filter((key) => !(TUNABLE_KEYS as readonly string[]).includes(key));
    if (unknown.length > 0) return fail(400, `${unknown.join(', ')}: unknown; allowed are ${TUNABLE_KEYS.join(', ')}`);
    try {
      // Values are checked by `configure` itself (a string latency is rejected there, by name).
      controls.configure(json.value as Parameters<AdminControls['configure']>[0]);
    } catch (error) {
      return fail(400, error instanceof Error ? error.message : String(error));
    }
    return { status: 200, body: controls.config() };
  }
  if (method === 'POST' && path === '/_emulator/faults/next-writes') {
    const json = parseJson(body);
    if (!json.ok) return fail(400, json.error);
    if (!isRecord(json.value)) return fail(400, 'the body must be a JSON object like {"kind":"500","count":1}');
    const unknown = Object.keys(json.value).filter((key) => !['kind', 'count', 'path'].includes(key));
    if (unknown.length > 0) return fail(400, `${unknown.join(', ')}: unknown; allowed are kind, count, path`);
    try {
      // Values are checked by `failNextWrites` itself, by name.
      controls.failNextWrites(json.value as unknown as ArmedWriteFaults);
    } catch (error) {
      return fail(400, error instanceof Error ? error.message : String(error));
    }
    return { status: 200, body: { ok: true } };
  }
  const objects = /^\/_emulator\/objects\/([^/]+)$/.exec(path);
  if (method === 'GET' && objects !== null) {
    const kind = objects[1] ?? '';
    if (!isObjectKind(kind)) return fail(404, `kind: "${kind}" is unknown; use one of ${OBJECT_KINDS.join(', ')}`);
    const mode = url.searchParams.get('mode') ?? 'test';
    if (mode !== 'test' && mode !== 'live') return fail(400, `mode: "${mode}" is not allowed; use test or live`);
    return { status: 200, body: controls.objects(kind, mode) };
  }
  return fail(404, `Unrecognized emulator control URL (${method}: ${path}).`);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: `the body is not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function sendAdmin(res: ServerResponse, reply: AdminReply): void {
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
