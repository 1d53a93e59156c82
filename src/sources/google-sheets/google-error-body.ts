/**
 * Reading the errors gaxios throws (google-auth-library and the Sheets client both use it), by
 * shape rather than by class: two copies of gaxios are installed (googleapis-common has its own), so
 * `instanceof GaxiosError` cannot be trusted.
 */

interface ErrorShape {
  status?: unknown;
  code?: unknown;
  cause?: unknown;
  config?: { url?: unknown };
  response?: { status?: unknown; data?: unknown; headers?: unknown };
}

const shape = (error: unknown): ErrorShape => (typeof error === 'object' && error !== null ? (error as ErrorShape) : {});

/** The HTTP status of the answer, when there was one. */
export function httpStatus(error: unknown): number | undefined {
  const e = shape(error);
  const status = e.response?.status ?? e.status;
  return typeof status === 'number' ? status : undefined;
}

/** A system error code (`ECONNREFUSED`, `TimeoutError`) from the error or its causes. */
export function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { code, cause } = shape(current);
    if (typeof code === 'string' && code !== '') return code;
    if (current instanceof DOMException) return current.name;
    current = cause;
  }
  return undefined;
}

/** The URL the failed request went to (after any rewrite), when known. */
export function requestUrl(error: unknown): URL | undefined {
  const url = shape(error).config?.url;
  if (url instanceof URL) return url;
  return typeof url === 'string' && URL.canParse(url) ? new URL(url) : undefined;
}

/** An OAuth token endpoint's error body: `{ "error": "invalid_grant", "error_description": "…" }`. */
export function oauthError(error: unknown): { error: string; description?: string } | undefined {
  const data = parsed(shape(error).response?.data);
  if (typeof data !== 'object' || data === null) return undefined;
  const body = data as { error?: unknown; error_description?: unknown };
  if (typeof body.error !== 'string') return undefined;
  return typeof body.error_description === 'string' && body.error_description !== ''
    ? { error: body.error, description: body.error_description }
    : { error: body.error };
}

/** A Google API error body: `{ "error": { "code": 403, "message": "…", "status": "PERMISSION_DENIED" } }`. */
export function apiError(error: unknown): { message?: string; status?: string } | undefined {
  const data = parsed(shape(error).response?.data);
  if (typeof data !== 'object' || data === null) return undefined;
  const body = (data as { error?: unknown }).error;
  if (typeof body !== 'object' || body === null) return undefined;
  const { message, status } = body as { message?: unknown; status?: unknown };
  return {
    ...(typeof message === 'string' ? { message } : {}),
    ...(typeof status === 'string' ? { status } : {}),
  };
}

/** A response header, whether gaxios gave a Headers object or a plain record. */
export function responseHeader(error: unknown, name: string): string | undefined {
  const headers = shape(error).response?.headers;
  // Not `instanceof Headers`: gaxios's fetch may come from another copy of undici than the global one.
  if (typeof (headers as Headers | undefined)?.get === 'function') return (headers as Headers).get(name) ?? undefined;
  if (typeof headers === 'object' && headers !== null) {
    const value = (headers as Record<string, unknown>)[name.toLowerCase()];
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

/** gaxios leaves a body it could not parse as JSON as text; an error body is JSON when Google sends it. */
function parsed(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}
