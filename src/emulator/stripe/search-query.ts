import { invalidRequest, type StripeError } from './errors.js';

/**
 * Stripe's search query language, as far as customers use it:
 * `email:'a@b.com'`, `name~"Ann"`, `metadata['order']:'A-17'`, `created>1700000000`,
 * `-name:null`, clauses joined by `AND` or by `OR` (not both), at most 10 clauses.
 * String matches ignore case, as Stripe's do.
 */
export type FieldKind = 'string' | 'number' | 'metadata';
export type Operator = ':' | '~' | '>' | '<' | '>=' | '<=';

export interface Clause {
  negated: boolean;
  field: string;
  /** The metadata key, for `metadata['key']`. */
  key?: string;
  op: Operator;
  value: string | number | null;
}

export interface SearchQuery {
  combinator: 'AND' | 'OR';
  clauses: Clause[];
}

export type FieldValue = string | number | null | undefined;

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'op'; text: Operator }
  | { kind: 'punct'; text: '[' | ']' | '-' };

const MAX_CLAUSES = 10;

function unparsable(detail: string): StripeError {
  return invalidRequest(
    `We were unable to parse your search query (${detail}). Try using the format ` +
      `'metadata["key"]:"value"' to query for metadata or 'key:"value"' to query for other fields.`,
    { code: 'parameter_invalid_string', param: 'query' },
  );
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const char = query[i] ?? '';
    if (/\s/.test(char)) {
      i++;
    } else if (char === '"' || char === "'") {
      let text = '';
      i++;
      while (i < query.length && query[i] !== char) {
        if (query[i] === '\\' && i + 1 < query.length) i++;
        text += query[i] ?? '';
        i++;
      }
      if (i >= query.length) throw unparsable('a quoted value is not closed');
      i++;
      tokens.push({ kind: 'string', text });
    } else if (query.startsWith('>=', i) || query.startsWith('<=', i)) {
      tokens.push({ kind: 'op', text: query.slice(i, i + 2) === '>=' ? '>=' : '<=' });
      i += 2;
    } else if (char === ':' || char === '~' || char === '>' || char === '<') {
      tokens.push({ kind: 'op', text: char });
      i++;
    } else if (char === '[' || char === ']' || char === '-') {
      tokens.push({ kind: 'punct', text: char });
      i++;
    } else if (/[0-9]/.test(char)) {
      const match = /^\d+(\.\d+)?/.exec(query.slice(i));
      const text = match?.[0] ?? char;
      tokens.push({ kind: 'number', value: Number(text) });
      i += text.length;
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(query.slice(i));
      const text = match?.[0] ?? char;
      tokens.push({ kind: 'word', text });
      i += text.length;
    } else {
      throw unparsable(`unexpected character '${char}'`);
    }
  }
  return tokens;
}

export function parseSearchQuery(query: string, resource: string, fields: Readonly<Record<string, FieldKind>>): SearchQuery {
  const tokens = tokenize(query);
  let pos = 0;
  const next = (): Token | undefined => tokens[pos++];
  const clauses: Clause[] = [];
  let combinator: 'AND' | 'OR' | undefined;

  const clause = (): Clause => {
    let token = next();
    let negated = false;
    if (token?.kind === 'punct' && token.text === '-') {
      negated = true;
      token = next();
    }
    if (token?.kind !== 'word') throw unparsable('expected a field name');
    const field = token.text;
    const kind = fields[field];
    if (kind === undefined) {
      throw invalidRequest(
        `Field '${field}' is an unsupported search field for resource ${resource}. See ` +
          `https://stripe.com/docs/search#query-fields-for-${resource} for a list of supported fields.`,
        { param: 'query' },
      );
    }
    let key: string | undefined;
    if (kind === 'metadata') {
      const open = next();
      const name = next();
      const close = next();
      if (open?.kind !== 'punct' || open.text !== '[' || name?.kind !== 'string' || close?.kind !== 'punct' || close.text !== ']') {
        throw unparsable(`metadata must be written metadata['key']`);
      }
      key = name.text;
    }
    const op = next();
    if (op?.kind !== 'op') throw unparsable(`expected an operator after '${field}'`);
    const allowed: readonly Operator[] = kind === 'number' ? [':', '>', '<', '>=', '<='] : kind === 'metadata' ? [':'] : [':', '~'];
    if (!allowed.includes(op.text)) throw unparsable(`'${op.text}' cannot be used with '${field}'`);
    const valueToken = next();
    let value: string | number | null;
    if (valueToken?.kind === 'string') {
      value = kind === 'number' ? Number(valueToken.text) : valueToken.text;
      if (typeof value === 'number' && Number.isNaN(value)) throw unparsable(`'${field}' needs a number`);
    } else if (valueToken?.kind === 'number') {
      value = valueToken.value;
    } else if (valueToken?.kind === 'word' && valueToken.text === 'null' && op.text === ':') {
      value = null;
    } else {
      throw unparsable(`expected a value for '${field}'`);
    }
    if (op.text === '~' && (typeof value !== 'string' || value.length < 3)) {
      throw unparsable(`a substring match (~) needs at least 3 characters`);
    }
    return { negated, field, ...(key === undefined ? {} : { key }), op: op.text, value };
  };

  if (tokens.length === 0) throw unparsable('the query is empty');
  clauses.push(clause());
  while (pos < tokens.length) {
    const word = next();
    if (word?.kind !== 'word' || (word.text !== 'AND' && word.text !== 'OR')) {
      throw unparsable('clauses must be joined with AND or OR');
    }
    if (combinator !== undefined && combinator !== word.text) {
      throw unparsable('AND and OR cannot be mixed in one query');
    }
    combinator = word.text;
    clauses.push(clause());
  }
  if (clauses.length > MAX_CLAUSES) throw unparsable(`at most ${MAX_CLAUSES} clauses are allowed`);
  return { combinator: combinator ?? 'AND', clauses };
}

/** `get(field, key)` reads one field of a record: a string, a number, or null/undefined when unset. */
export function matchesQuery(query: SearchQuery, get: (field: string, key?: string) => FieldValue): boolean {
  const results = query.clauses.map((clause) => {
    const matched = matchClause(clause, get(clause.field, clause.key));
    return clause.negated ? !matched : matched;
  });
  return query.combinator === 'AND' ? results.every(Boolean) : results.some(Boolean);
}

function matchClause(clause: Clause, actual: FieldValue): boolean {
  const { op, value } = clause;
  if (value === null) return actual === null || actual === undefined;
  if (actual === null || actual === undefined) return false;
  if (typeof value === 'number' || typeof actual === 'number') {
    const a = Number(actual);
    const b = Number(value);
    switch (op) {
      case '>':
        return a > b;
      case '<':
        return a < b;
      case '>=':
        return a >= b;
      case '<=':
        return a <= b;
      default:
        return a === b;
    }
  }
  const a = actual.toLowerCase();
  const b = value.toLowerCase();
  return op === '~' ? a.includes(b) : a === b;
}
