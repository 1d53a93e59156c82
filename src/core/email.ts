import { codePoint } from './characters.js';

/**
 * Why `text` is not an email address Stripe can send to, as a short clause (`it has 2 @ signs`),
 * or undefined when it is one. The checks are those a person can act on: the shape (one @, a dot in
 * the domain, no space), dots where no address has them, invisible characters, and letters of two
 * alphabets mixed in one part (`exаmple.com` with a Cyrillic а), which is a lookalike typed by
 * mistake or a fake address; an address wholly in one alphabet (`пошта@приклад.укр`) is fine.
 */
export function emailProblem(text: string): string | undefined {
  const ats = text.split('@').length - 1;
  if (ats !== 1) return ats === 0 ? 'it has no @' : `it has ${ats} @ signs; an address has exactly one`;
  if (/\s/.test(text)) return 'it has a space in it';
  const invisible = /[\p{Cf}]/u.exec(text);
  if (invisible) return `it has the invisible character ${codePoint(invisible[0].codePointAt(0) ?? 0)} in it`;
  const [local = '', domain = ''] = text.split('@');
  if (local === '') return 'nothing comes before the @';
  if (domain === '') return 'nothing comes after the @';
  if (/["<>(),;:[\]\\]/.test(text)) return 'it has a character an address cannot have, such as a quote, a comma or brackets';
  if (domain.endsWith('.')) return 'it ends with a dot';
  if (domain.startsWith('.') || local.startsWith('.') || local.endsWith('.')) return 'a dot is next to the @ or at the start';
  if (text.includes('..')) return 'it has two dots in a row';
  const labels = domain.split('.');
  if (labels.length < 2) return 'the domain after the @ has no dot, such as example.com';
  if ((labels.at(-1) ?? '').length < 2) return 'the domain ends in a one-letter name';
  for (const part of [local, ...labels]) {
    const mixed = mixedScripts(part);
    if (mixed) return mixed;
  }
  return undefined;
}

const OTHER_SCRIPTS = [
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
] as const;

function mixedScripts(part: string): string | undefined {
  if (!/\p{Script=Latin}/u.test(part)) return undefined;
  for (const [script, letters] of OTHER_SCRIPTS) {
    const found = letters.exec(part);
    if (found) {
      return `"${part}" mixes Latin and ${script} letters ("${found[0]}" is ${script}, ${codePoint(found[0].codePointAt(0) ?? 0)}); type the address in one alphabet`;
    }
  }
  return undefined;
}
