import type { FieldSpec } from '../../api/types';
import { readTemplate } from './template';

export interface FormInput {
  name: string;
  type: 'email' | 'text';
  required: boolean;
}

/**
 * The inputs a landing-page form needs for a mapping: one per form field the templates read, in
 * the order of the action's fields; `type="email"` where the field is an email (or a customer given
 * by email), `required` where the action needs it. Without a mapping yet, the fields named on the
 * source step.
 */
export function formInputs(mapping: Record<string, string>, fields: readonly FieldSpec[], fallback: readonly string[]): FormInput[] {
  const inputs: FormInput[] = [];
  const keyed = [...fields.filter((f) => f.type !== 'metadata').map((f) => [f.key, f] as const)];
  const ordered = [
    ...keyed.filter(([key]) => mapping[key] !== undefined).map(([key, f]) => [mapping[key] ?? '', f] as const),
    ...Object.entries(mapping)
      .filter(([key]) => !keyed.some(([k]) => k === key))
      .map(([, template]) => [template, undefined] as const),
  ];
  for (const [template, field] of ordered) {
    for (const name of readTemplate(template).names) {
      const existing = inputs.find((i) => i.name === name);
      const email = field?.type === 'email' || field?.type === 'customer';
      const required = field?.required === true;
      if (existing) {
        existing.required ||= required;
        if (email) existing.type = 'email';
      } else inputs.push({ name, type: email ? 'email' : 'text', required });
    }
  }
  if (inputs.length > 0) return inputs;
  return fallback.map((name) => ({ name, type: /e-?mail/i.test(name) ? 'email' : 'text', required: false }));
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A form to paste into a landing page: it posts to the hook URL as an HTML form does (url-encoded). */
export function formSnippet(hookUrl: string, inputs: readonly FormInput[], submit: string): string {
  const lines = inputs.map((i) => {
    const name = escapeHtml(i.name);
    const attributes = [`name="${name}"`, ...(i.type === 'email' ? ['type="email"'] : []), ...(i.required ? ['required'] : [])];
    return `  <label>${name} <input ${attributes.join(' ')}></label>`;
  });
  return [
    `<form method="post" action="${escapeHtml(hookUrl)}">`,
    ...lines,
    `  <button type="submit">${escapeHtml(submit)}</button>`,
    '</form>',
  ].join('\n');
}
