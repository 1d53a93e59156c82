import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StripeError } from './errors.js';
import { matchesQuery, parseSearchQuery, type FieldKind } from './search-query.js';

const fields: Record<string, FieldKind> = { email: 'string', name: 'string', created: 'number', metadata: 'metadata' };
const record: Record<string, string | number | null> = { email: 'Ann@Example.com', name: 'Ann Lee', created: 1000 };
const meta: Record<string, string> = { order: 'A-17' };
const get = (field: string, key?: string) => (field === 'metadata' ? (key === undefined ? undefined : meta[key]) : record[field]);
const matches = (query: string) => matchesQuery(parseSearchQuery(query, 'customers', fields), get);

describe('search queries', () => {
  it('matches exact (case-insensitive), substring, numbers, metadata, null and negation', () => {
    assert.equal(matches("email:'ann@example.com'"), true);
    assert.equal(matches('email:"bob@example.com"'), false);
    assert.equal(matches("name~'Lee'"), true);
    assert.equal(matches('created>999 AND created<=1000'), true);
    assert.equal(matches("metadata['order']:'A-17'"), true);
    assert.equal(matches('metadata["order"]:"A-18"'), false);
    assert.equal(matches("metadata['missing']:null"), true);
    assert.equal(matches("-name:'Ann Lee'"), false);
    assert.equal(matches("name:'x' OR email:'ann@example.com'"), true);
    assert.equal(matches("name:'x' AND email:'ann@example.com'"), false);
    assert.equal(matches(`name:'it\\'s'`), false);
  });

  it('refuses malformed queries and unsupported fields', () => {
    for (const query of [
      '',
      "email:'open",
      'email',
      "email:'a' name:'b'",
      "email:'a' AND name:'b' OR name:'c'",
      "name~'ab'",
      'metadata:x',
      "email>'a'",
    ]) {
      assert.throws(() => parseSearchQuery(query, 'customers', fields), StripeError, query);
    }
    assert.throws(
      () => parseSearchQuery("color:'red'", 'customers', fields),
      /Field 'color' is an unsupported search field for resource customers/,
    );
    const eleven = Array.from({ length: 11 }, (_, i) => `name:'${i}'`).join(' OR ');
    assert.throws(() => parseSearchQuery(eleven, 'customers', fields), /at most 10 clauses/);
  });
});
