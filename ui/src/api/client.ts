/** A field the server refused, as every API error lists them: the field, the value and what is allowed. */
export interface FieldProblem {
  field: string;
  value?: unknown;
  message: string;
}

/** An answer that was not 2xx, with the server's own message (already written for people). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The problems of one field (and of its sub-fields: `mapping` matches `mapping.email`). */
  forField(field: string): FieldProblem[] {
    return this.errors.filter((e) => e.field === field || e.field.startsWith(`${field}.`));
  }
}

let csrfToken: string | null = null;

/** The session's CSRF token, sent with every state change; set when the session is read or begins. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the server says the session is gone, so the app can go back to the login page. */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'network');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const error = (json as { error?: { message?: string; errors?: FieldProblem[] } } | undefined)?.error;
    if (res.status === 401 && !path.startsWith('/api/session')) onUnauthorized();
    throw new ApiError(res.status, error?.message ?? `${res.status} ${res.statusText}`, error?.errors ?? []);
  }
  return json as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const del = (path: string) => api<void>('DELETE', path);
