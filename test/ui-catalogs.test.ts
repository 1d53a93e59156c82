import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  catalogLanguages,
  catalogNamespaces,
  pluralCategories,
  pluralOf,
  readCatalog,
  REFERENCE_LANGUAGE,
  variablesOf,
} from './browser/support/catalogs.js';

// Every text of the UI in every language: the same keys, no empty text, the same {{variables}}.
// A plural family (`rows_one`, `rows_few`, …) counts as one key, since each language has its own
// forms: English needs one/other, Ukrainian one/few/many/other.

const languages = catalogLanguages();

/**
 * Texts whose `{{…}}` is no i18next variable but a Sluice mapping template shown as it is typed (i18next
 * leaves a variable it is not given untouched), so each language may name its own example column.
 */
const MAPPING_TEMPLATE_EXAMPLES = /^wizard:catalog\.(fields|settings)\..*\.example$/;

/**
 * Plural families whose count never reaches 21, so a Ukrainian "one" form is only ever shown for 1
 * and may say "the first row" without the number. Each with where the bound comes from.
 */
const SMALL_COUNTS = new Set([
  'wizard:test.previewCaption', // at most 10 rows: the preview's limit (src/engine/preview.ts)
  'wizard:test.sentRequests', // the requests one action plans for one row (src/engine/test-send.ts): a few
]);
const others = languages.filter((l) => l !== REFERENCE_LANGUAGE);

/** The keys of one catalog, plural forms folded into their family: key → its texts (one per form). */
function entries(language: string, namespace: string): Map<string, { forms: Map<string, unknown>; ordinal: boolean }> {
  const out = new Map<string, { forms: Map<string, unknown>; ordinal: boolean }>();
  for (const [key, value] of readCatalog(language, namespace)) {
    const plural = pluralOf(key);
    const name = plural?.family ?? key;
    const entry = out.get(name) ?? { forms: new Map<string, unknown>(), ordinal: plural?.ordinal ?? false };
    entry.forms.set(plural?.category ?? '', value);
    out.set(name, entry);
  }
  return out;
}

const isFamily = (e: { forms: Map<string, unknown> }) => !e.forms.has('');
const label = (e: { forms: Map<string, unknown> }) => (isFamily(e) ? ' (plural family)' : '');
const fail = (problems: string[], what: string) =>
  assert.deepEqual(
    problems,
    [],
    `${problems.length} ${what}:\n  ${problems.join('\n  ')}\n(catalogs: ui/src/i18n/<language>/<namespace>.json)`,
  );

test('the catalogs exist in every language: en and uk at least, with the same namespaces', () => {
  assert.ok(languages.includes('en') && languages.includes('uk'), `languages found: ${languages.join(', ')}`);
  const reference = catalogNamespaces(REFERENCE_LANGUAGE);
  assert.ok(reference.length > 0, 'no catalogs in ui/src/i18n/en');
  const problems: string[] = [];
  for (const language of others) {
    const own = catalogNamespaces(language);
    for (const ns of reference) if (!own.includes(ns)) problems.push(`${language}/${ns}.json is missing (${REFERENCE_LANGUAGE} has it)`);
    for (const ns of own) if (!reference.includes(ns)) problems.push(`${language}/${ns}.json has no ${REFERENCE_LANGUAGE} twin`);
  }
  fail(problems, 'catalog files without a twin');
});

test('every key of every language exists in every other language', () => {
  const problems: string[] = [];
  for (const ns of catalogNamespaces(REFERENCE_LANGUAGE)) {
    const reference = entries(REFERENCE_LANGUAGE, ns);
    for (const language of others) {
      if (!catalogNamespaces(language).includes(ns)) continue; // reported by the test above
      const own = entries(language, ns);
      for (const [key, e] of reference) if (!own.has(key)) problems.push(`${ns}:${key}${label(e)} is missing in ${language}`);
      for (const [key, e] of own)
        if (!reference.has(key)) problems.push(`${ns}:${key}${label(e)} is in ${language} but not in ${REFERENCE_LANGUAGE}`);
      for (const [key, e] of reference) {
        const twin = own.get(key);
        if (twin && isFamily(twin) !== isFamily(e)) {
          problems.push(`${ns}:${key} is a plural family in ${isFamily(e) ? REFERENCE_LANGUAGE : language} only`);
        }
      }
    }
  }
  fail(problems, 'keys missing in a language');
});

test('every plural family has each form its language needs', () => {
  // Extra forms are let be: English may carry _few/_many so both files have the same keys; i18next
  // simply never selects them in English.
  const problems: string[] = [];
  for (const language of languages) {
    for (const ns of catalogNamespaces(language)) {
      for (const [key, e] of entries(language, ns)) {
        if (!isFamily(e)) continue;
        const missing = pluralCategories(language, e.ordinal).filter((c) => !e.forms.has(c));
        if (missing.length) problems.push(`${language} ${ns}:${key} lacks ${missing.map((c) => `${key}_${c}`).join(', ')}`);
      }
    }
  }
  fail(problems, 'incomplete plural families');
});

test('no text is empty, and every value is a text', () => {
  const problems: string[] = [];
  for (const language of languages) {
    for (const ns of catalogNamespaces(language)) {
      for (const [key, value] of readCatalog(language, ns)) {
        if (typeof value !== 'string') problems.push(`${language} ${ns}:${key} is ${JSON.stringify(value)}, not a text`);
        else if (value.trim() === '') problems.push(`${language} ${ns}:${key} is empty`);
      }
    }
  }
  fail(problems, 'empty or non-text values');
});

test('each key interpolates the same {{variables}} in every language', () => {
  const problems: string[] = [];
  // A family is compared as a whole: English "One row" may leave out {{count}} where "{{count}} rows" has it.
  const variables = (e: { forms: Map<string, unknown> }) =>
    [...new Set([...e.forms.values()].flatMap((v) => (typeof v === 'string' ? variablesOf(v) : [])))].sort();
  for (const ns of catalogNamespaces(REFERENCE_LANGUAGE)) {
    const reference = entries(REFERENCE_LANGUAGE, ns);
    for (const language of others) {
      if (!catalogNamespaces(language).includes(ns)) continue;
      const own = entries(language, ns);
      for (const [key, e] of reference) {
        const twin = own.get(key);
        if (!twin || MAPPING_TEMPLATE_EXAMPLES.test(`${ns}:${key}`)) continue;
        const want = variables(e).join(', ');
        const got = variables(twin).join(', ');
        if (want !== got) problems.push(`${ns}:${key}${label(e)}: ${REFERENCE_LANGUAGE} has {${want}}, ${language} has {${got}}`);
      }
    }
  }
  fail(problems, 'keys whose variables differ between languages');
});

test('a plural form that several numbers select shows the number', () => {
  // Ukrainian "one" is 1, 21, 31…: "Один рядок" would be shown for 21 rows. English "one" is 1 only.
  // The number may be {{count}} or a variable holding it formatted for the locale ({{n}}).
  const problems: string[] = [];
  for (const language of languages) {
    const rules = new Intl.PluralRules(language);
    const numbersOf = (category: string) => Array.from({ length: 200 }, (_, n) => n).filter((n) => rules.select(n) === category);
    for (const ns of catalogNamespaces(language)) {
      for (const [key, e] of entries(language, ns)) {
        if (!isFamily(e) || e.ordinal || SMALL_COUNTS.has(`${ns}:${key}`)) continue;
        for (const [category, text] of e.forms) {
          if (category === 'zero' || typeof text !== 'string' || variablesOf(text).length > 0) continue;
          const numbers = numbersOf(category);
          if (numbers.length > 1)
            problems.push(`${language} ${ns}:${key}_${category} "${text}" is shown for ${numbers.slice(0, 3).join(', ')}…`);
        }
      }
    }
  }
  fail(problems, 'plural forms that do not show their number');
});
