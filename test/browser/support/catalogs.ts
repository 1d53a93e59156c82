import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The UI's text catalogs (ui/src/i18n/<language>/<namespace>.json), read from the same files the
 * UI bundles, so tests find elements by the text a person sees in either language and a changed
 * wording changes the tests with it.
 */
export const CATALOG_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../ui/src/i18n');

/** The reference language: its keys are the UI's types (ui/src/i18n/index.ts). */
export const REFERENCE_LANGUAGE = 'en';
/** The namespace of a key without `ns:` (i18next's defaultNS in ui/src/i18n/index.ts). */
export const DEFAULT_NAMESPACE = 'common';

export type Language = 'en' | 'uk';
export const LANGUAGES: readonly Language[] = ['en', 'uk'];

/** One catalog flattened: `setup.title` → its text; values that are not strings are kept as found. */
export type FlatCatalog = Map<string, unknown>;

/** Every language directory under ui/src/i18n, the reference language first. */
export function catalogLanguages(): string[] {
  const found = fs
    .readdirSync(CATALOG_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  return [REFERENCE_LANGUAGE, ...found.filter((l) => l !== REFERENCE_LANGUAGE)];
}

export function catalogNamespaces(language: string): string[] {
  return fs
    .readdirSync(path.join(CATALOG_DIR, language))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

const cache = new Map<string, FlatCatalog>();

/** The catalog of one namespace in one language, flattened to dotted keys (read once per process). */
export function readCatalog(language: string, namespace: string): FlatCatalog {
  const file = path.join(CATALOG_DIR, language, `${namespace}.json`);
  let flat = cache.get(file);
  if (!flat) {
    if (!fs.existsSync(file))
      throw new Error(`no catalog ${path.relative(process.cwd(), file)}: the UI has no "${namespace}" texts in ${language}`);
    flat = new Map();
    flatten(JSON.parse(fs.readFileSync(file, 'utf8')) as unknown, '', flat);
    cache.set(file, flat);
  }
  return flat;
}

function flatten(value: unknown, prefix: string, into: FlatCatalog): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, into);
  } else {
    into.set(prefix, value);
  }
}

/**
 * i18next's plural suffixes (JSON v4): `rows_one`, `rows_other`, and `rows_ordinal_one` for
 * ordinals. `_zero` is i18next's own extra form for a count of 0, allowed in any language.
 */
const PLURAL = /^(.+?)(_ordinal)?_(zero|one|two|few|many|other)$/;

/** The plural family a key belongs to (`rows_few` → `rows`), or undefined for a plain key. */
export function pluralOf(key: string): { family: string; ordinal: boolean; category: Intl.LDMLPluralRule } | undefined {
  const m = PLURAL.exec(key);
  if (!m) return undefined;
  return { family: `${m[1]}${m[2] ?? ''}`, ordinal: m[2] !== undefined, category: m[3] as Intl.LDMLPluralRule };
}

/** The plural forms a language needs: `one`/`other` in English, `one`/`few`/`many`/`other` in Ukrainian. */
export function pluralCategories(language: string, ordinal = false): Intl.LDMLPluralRule[] {
  return new Intl.PluralRules(language, { type: ordinal ? 'ordinal' : 'cardinal' }).resolvedOptions().pluralCategories;
}

/** `{{name}}` and `{{name, format}}`, as i18next interpolates them. */
const VARIABLE = /\{\{\s*([^\s,}]+)\s*(?:,\s*([^}]*?)\s*)?\}\}/g;

/** The names of the `{{variables}}` a text interpolates, sorted and without repeats. */
export function variablesOf(text: string): string[] {
  return [...new Set([...text.matchAll(VARIABLE)].map((m) => m[1] as string))].sort();
}

/**
 * A text of the UI as i18next renders it: `t('en', 'auth:login.wrong')`,
 * `t('uk', 'nav.signedInAs', { email })` (namespace `common` when none is given). With a numeric
 * `count` the plural form is chosen as i18next does (`_zero` for 0 when present, then the form
 * Intl.PluralRules selects, then `_other`). Unlike the UI, it throws instead of falling back to
 * English or to the key, so a test never looks for a text the page cannot show.
 */
export function t(language: Language, key: string, vars: Record<string, string | number> = {}): string {
  const colon = key.indexOf(':');
  const namespace = colon === -1 ? DEFAULT_NAMESPACE : key.slice(0, colon);
  const keyPath = colon === -1 ? key : key.slice(colon + 1);
  const catalog = readCatalog(language, namespace);
  const candidates = [keyPath];
  if (typeof vars.count === 'number') {
    const form = new Intl.PluralRules(language).select(vars.count);
    candidates.unshift(...(vars.count === 0 ? [`${keyPath}_zero`] : []), `${keyPath}_${form}`, `${keyPath}_other`);
  }
  const found = candidates.find((c) => typeof catalog.get(c) === 'string');
  if (found === undefined) {
    throw new Error(`t(${language}, ${key}): ${namespace}.json in ${language} has no text at ${candidates.join(' or ')}`);
  }
  const text = catalog.get(found) as string;
  return text.replace(VARIABLE, (whole, name: string, format: string | undefined) => {
    if (!(name in vars)) throw new Error(`t(${language}, ${key}): the text "${text}" needs {{${name}}}; pass it in vars`);
    const value = vars[name] as string | number;
    if (format === undefined) return String(value);
    if (format === 'number' && typeof value === 'number') return new Intl.NumberFormat(language).format(value);
    throw new Error(
      `t(${language}, ${key}): the format in ${whole} is not supported by the test helper; add it to test/browser/support/catalogs.ts`,
    );
  });
}
