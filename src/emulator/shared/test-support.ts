/**
 * Raw-HTTP test helpers shared by both emulators' test-support.ts (not a test file itself). Tests
 * check status codes, headers and exact error bodies, which the official clients hide or rewrite,
 * so each harness sends some requests with plain fetch and reads the answer here.
 */

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON (an HTML error page, say). */
  json: unknown;
}

/** Sends one request with fetch and reads the whole body, as text and, when it parses, as JSON. */
export async function fetchRaw(url: string, init: RequestInit): Promise<RawResponse> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/**
 * The `error` object of an error response; Stripe and Google both wrap their errors as
 * `{"error": {…}}`. Anything else throws, naming `service` and showing the start of the body, so
 * a test that expected an error fails on what it actually got.
 */
export function errorObjectOf(response: RawResponse, service: string): object {
  const body = response.json;
  if (typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'object' && body.error !== null) {
    return body.error;
  }
  throw new Error(`not a ${service} error response (${response.status}): ${response.text.slice(0, 200)}`);
}
