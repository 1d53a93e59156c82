// What the mapping step checks while the person types, before the server checks the whole
// connection on save. The syntax is the server's (src/core/template.ts): `{{name}}` with the name
// trimmed, `\{{` a literal `{{`; the wording of problems is the UI's, in the person's language.

export type TemplateProblem = { kind: 'unclosed'; at: number } | { kind: 'nested'; at: number } | { kind: 'empty'; at: number };

/** The placeholder names a template reads, in order of first use, or where it stops making sense (1-based character). */
export function readTemplate(source: string): { names: string[]; problem?: TemplateProblem } {
  const names: string[] = [];
  let i = 0;
  while (i < source.length) {
    if (source.startsWith('\\{{', i)) {
      i += 3;
      continue;
    }
    if (!source.startsWith('{{', i)) {
      i += 1;
      continue;
    }
    const close = source.indexOf('}}', i + 2);
    const nested = source.indexOf('{{', i + 2);
    if (nested !== -1 && (close === -1 || nested < close)) return { names, problem: { kind: 'nested', at: nested + 1 } };
    if (close === -1) return { names, problem: { kind: 'unclosed', at: i + 1 } };
    const name = source.slice(i + 2, close).trim();
    if (name === '') return { names, problem: { kind: 'empty', at: i + 1 } };
    if (!names.includes(name)) names.push(name);
    i = close + 2;
  }
  return { names };
}

/** How the server compares a placeholder with a column when they are not spelt exactly alike. */
export function looseName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The column a placeholder reads: the exact name, else the first column equal to it loosely. */
export function findColumn(columns: readonly string[], name: string): string | undefined {
  return columns.includes(name) ? name : columns.find((c) => looseName(c) === looseName(name));
}

/** The placeholder that reads one column: `{{Order #}}`. */
export const placeholder = (column: string): string => `{{${column}}}`;

/** The one column a template is made of (`{{Email}}`), if that is all it is. */
export function singleColumn(template: string): string | undefined {
  const match = /^\{\{([^{}]+)\}\}$/.exec(template.trim());
  return match?.[1]?.trim() || undefined;
}
