import type { FieldSpec } from '../../api/types';
import type { CatalogText } from './catalog-text';
import { looseName, placeholder } from './template';

/** A name reduced to its letters and digits: "E-mail", "email " and "EMAIL" are one; so are "Postal code" and "postal_code". */
const squash = (s: string) => looseName(s).replace(/[^\p{L}\p{N}]/gu, '');

/**
 * A first mapping from the columns' names: a field whose key, English label or translated label
 * names a column reads that column (`email` ← "E-mail", `address.city` ← "City" or "Місто").
 * Only a starting point: every field stays editable, and nothing is suggested twice.
 */
export function suggestMapping(
  fields: readonly FieldSpec[],
  columns: readonly { name: string }[],
  ct: CatalogText,
  action: string,
): Record<string, string> {
  const suggestion: Record<string, string> = {};
  const taken = new Set<string>();
  for (const f of fields) {
    if (f.type === 'metadata') continue;
    const names = new Set([f.key, f.key.split('.').at(-1) ?? f.key, f.label, ct.fieldLabel(action, f)].map(squash));
    // A customer is found by email as well as by id: an Email column is what most sources have.
    if (f.type === 'customer') names.add('email');
    const column = columns.find((c) => !taken.has(c.name) && names.has(squash(c.name)));
    if (column) {
      suggestion[f.key] = placeholder(column.name);
      taken.add(column.name);
    }
  }
  return suggestion;
}
