import type { FieldSpec } from '../../api/types';
import type { MetadataRow } from './draft';
import { findColumn, readTemplate, type TemplateProblem } from './template';

export type MappingProblem =
  | { kind: 'syntax'; problem: TemplateProblem }
  | { kind: 'unknownColumns'; names: string[] }
  | { kind: 'required' }
  | { kind: 'requiredWith'; other: string }
  | { kind: 'notOption'; options: readonly string[] }
  | { kind: 'metadataKey'; reason: 'empty' | 'duplicate' | 'tooLong' | 'brackets' };

/** Stripe's own limit on a metadata key. */
const METADATA_KEY_MAX = 40;

/**
 * The problems of a mapping as the person types, each under its field: a template that does not
 * parse, placeholders naming no column (only when the columns are known, and never for a web form,
 * whose missing fields are simply empty), a required field left empty, a constant that is not one
 * of the allowed values, a metadata key Stripe would refuse. The server checks the whole connection
 * again on save.
 */
export function mappingProblems(o: {
  fields: readonly FieldSpec[];
  mapping: Readonly<Record<string, string>>;
  metadata: readonly MetadataRow[];
  /** The source's columns, when they are known; undefined skips the column check. */
  columns: readonly string[] | undefined;
}): { fields: Map<string, MappingProblem>; metadata: Map<number, MappingProblem> } {
  const fields = new Map<string, MappingProblem>();
  const mapped = (key: string) => (o.mapping[key] ?? '').trim() !== '';
  const templateProblem = (template: string): MappingProblem | undefined => {
    const read = readTemplate(template);
    if (read.problem) return { kind: 'syntax', problem: read.problem };
    const columns = o.columns;
    if (!columns) return undefined;
    const unknown = read.names.filter((n) => findColumn(columns, n) === undefined);
    return unknown.length > 0 ? { kind: 'unknownColumns', names: unknown } : undefined;
  };
  for (const f of o.fields) {
    if (f.type === 'metadata') continue;
    const template = o.mapping[f.key] ?? '';
    if (template.trim() === '') {
      if (f.required && f.default === undefined) fields.set(f.key, { kind: 'required' });
      continue;
    }
    const problem = templateProblem(template);
    if (problem) fields.set(f.key, problem);
    else if (f.options && !template.includes('{{') && !f.options.includes(template.trim()))
      fields.set(f.key, { kind: 'notOption', options: f.options });
  }
  // An amount is converted with its currency, so a mapped amount needs one (as the server says on save).
  for (const f of o.fields) {
    const currency = f.currencyKey && o.fields.find((c) => c.key === f.currencyKey);
    if (currency && mapped(f.key) && !mapped(currency.key) && currency.default === undefined && !fields.has(currency.key))
      fields.set(currency.key, { kind: 'requiredWith', other: f.key });
  }
  const metadata = new Map<number, MappingProblem>();
  const seen = new Set<string>();
  for (const row of o.metadata) {
    // Stripe's metadata keys are case-sensitive: "Order" and "order" are two keys.
    const key = row.key.trim();
    if (key === '' && row.template.trim() !== '') metadata.set(row.id, { kind: 'metadataKey', reason: 'empty' });
    else if (key !== '' && seen.has(key)) metadata.set(row.id, { kind: 'metadataKey', reason: 'duplicate' });
    else if (key.length > METADATA_KEY_MAX) metadata.set(row.id, { kind: 'metadataKey', reason: 'tooLong' });
    else if (/[[\]]/.test(key)) metadata.set(row.id, { kind: 'metadataKey', reason: 'brackets' });
    else {
      const problem = row.template.trim() === '' ? undefined : templateProblem(row.template);
      if (problem) metadata.set(row.id, problem);
    }
    if (key !== '') seen.add(key);
  }
  return { fields, metadata };
}
