/** A key file is about 2.3 KB; anything this large is some other file chosen by mistake. */
export const MAX_KEY_FILE_BYTES = 100_000;

/** What is wrong with a would-be key, as a text key of accounts.json `serviceAccount.problems` and its variables. */
export type KeyProblem =
  | { problem: 'empty' | 'notJson' | 'notAnObject' | 'oauthClient' | 'noType' | 'tooLarge' }
  | { problem: 'wrongType'; type: string }
  | { problem: 'missingField'; field: 'client_email' | 'private_key' };

export type ParsedKey = { ok: true; credentials: Record<string, unknown>; email: string } | ({ ok: false } & KeyProblem);

/**
 * Reads a service account's JSON key as the server will (src/sources/google-sheets/google-auth.ts
 * parseServiceAccountKey), far enough to say in the person's language what is wrong before it is
 * sent: not JSON, an OAuth client file, another `type`, or a missing field named. The server checks
 * the whole key again, the PEM included, and its message is shown under the field.
 */
export function parseServiceAccountKey(text: string): ParsedKey {
  if (text.trim() === '') return { ok: false, problem: 'empty' };
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return { ok: false, problem: 'notJson' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, problem: 'notAnObject' };
  const file = value as Record<string, unknown>;
  // What the console's "OAuth client ID" download looks like: {"installed": {…}} or {"web": {…}}.
  if (file.installed !== undefined || file.web !== undefined) return { ok: false, problem: 'oauthClient' };
  if (file.type === undefined) return { ok: false, problem: 'noType' };
  if (file.type !== 'service_account') return { ok: false, problem: 'wrongType', type: JSON.stringify(file.type) };
  for (const field of ['client_email', 'private_key'] as const) {
    const v = file[field];
    if (typeof v !== 'string' || v.trim() === '') return { ok: false, problem: 'missingField', field };
  }
  return { ok: true, credentials: file, email: String(file.client_email).trim() };
}
