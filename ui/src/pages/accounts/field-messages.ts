import { ApiError } from '../../api/client';

/**
 * Splits an API error into messages for the form's own fields and whether anything is left to show
 * above the form. The server names the field in `errors`, or, for a single problem, at the start of
 * its message ("secretKey: this is not a Stripe secret key; …").
 */
export function fieldMessages(error: unknown, fields: readonly string[]): { fields: Record<string, string>; rest: boolean } {
  if (!(error instanceof ApiError)) return { fields: {}, rest: true };
  const found: Record<string, string> = {};
  let rest = false;
  const problems = error.errors.length ? error.errors : [{ field: error.message.split(':')[0] ?? '', message: error.message }];
  for (const p of problems) {
    const field = fields.find((f) => p.field === f || p.field.startsWith(`${f}.`));
    // Under its own field, "secretKey: " in front of the message says nothing new.
    const prefix = `${p.field}: `;
    const message = field && p.message.startsWith(prefix) ? p.message.slice(prefix.length) : p.message;
    if (field) found[field] = found[field] ? `${found[field]} ${message}` : message;
    else rest = true;
  }
  return { fields: found, rest };
}
