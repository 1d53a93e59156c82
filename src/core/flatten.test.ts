import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flattenFields } from './flatten.js';

describe('flattenFields', () => {
  const cases: Array<[name: string, body: unknown, fields: Record<string, string>]> = [
    ['flat strings', { Email: 'a@b.com', Name: 'Ann' }, { Email: 'a@b.com', Name: 'Ann' }],
    [
      'nested objects',
      { customer: { email: 'a@b.com', address: { city: 'Kyiv' } } },
      { 'customer.email': 'a@b.com', 'customer.address.city': 'Kyiv' },
    ],
    [
      'arrays',
      {
        items: [
          { sku: 'X1', qty: 2 },
          { sku: 'Y2', qty: 1 },
        ],
      },
      { 'items.0.sku': 'X1', 'items.0.qty': '2', 'items.1.sku': 'Y2', 'items.1.qty': '1' },
    ],
    ['repeated form keys', { a: ['1', '2'], b: '3' }, { 'a.0': '1', 'a.1': '2', b: '3' }],
    [
      'numbers and booleans as JSON text',
      { n: 12.5, i: 3, z: -0, big: 1e21, t: true, f: false },
      { n: '12.5', i: '3', z: '0', big: '1e+21', t: 'true', f: 'false' },
    ],
    ['null as empty', { phone: null }, { phone: '' }],
    ['empty object and array as empty', { tags: [], meta: {} }, { tags: '', meta: '' }],
    ['keys trimmed, inner spaces kept', { ' First name ': 'Ann', 'Order #': 'A-17' }, { 'First name': 'Ann', 'Order #': 'A-17' }],
    ['keys with dots and unicode kept', { 'customer.email': 'x', Прізвище: 'Шевченко' }, { 'customer.email': 'x', Прізвище: 'Шевченко' }],
    ['empty body', {}, {}],
    [
      '__proto__ as an ordinary key',
      JSON.parse('{"__proto__": "x", "constructor": "y"}'),
      JSON.parse('{"__proto__": "x", "constructor": "y"}'),
    ],
    ['a Date from a non-JSON parser', { at: new Date('2025-01-02T03:04:05Z') }, { at: '2025-01-02T03:04:05.000Z' }],
  ];
  for (const [name, body, fields] of cases) {
    it(name, () => assert.deepEqual(flattenFields(body), { ok: true, value: fields }));
  }

  it('keeps __proto__ as an own field, not a prototype', () => {
    const result = flattenFields(JSON.parse('{"__proto__": {"polluted": "yes"}}'));
    assert.ok(result.ok);
    assert.deepEqual(Object.keys(result.value), ['__proto__.polluted']);
    assert.equal(Object.getPrototypeOf(result.value), Object.prototype);
  });

  const deep = (levels: number): unknown => {
    let node: unknown = 'leaf';
    for (let i = levels; i >= 1; i--) node = { [`l${i}`]: node };
    return node;
  };
  const many = (n: number): Record<string, string> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, 'v']));

  const errors: Array<[name: string, body: unknown, error: string, opts?: Parameters<typeof flattenFields>[1]]> = [
    ['a top-level array', [1, 2], 'the body must be a JSON object of fields, got an array'],
    ['a top-level string', 'hello', 'the body must be a JSON object of fields, got a string'],
    ['a top-level number', 5, 'the body must be a JSON object of fields, got a number'],
    ['null', null, 'the body must be a JSON object of fields, got null'],
    ['nothing', undefined, 'the body must be a JSON object of fields, got nothing'],
    ['too deep', deep(9), '"l1.l2.l3.l4.l5.l6.l7.l8" is nested deeper than 8 levels (the limit)'],
    ['too deep, own limit', { a: { b: { c: 'x' } } }, '"a.b" is nested deeper than 2 levels (the limit)', { maxDepth: 2 }],
    ['too many fields', many(501), 'the body has more than 500 fields (the limit); "f500" is one too many'],
    [
      'too many fields, own limit',
      { a: [1, 2, 3] },
      'the body has more than 2 fields (the limit); "a.2" is one too many',
      { maxFields: 2 },
    ],
    [
      'a value too long',
      { note: 'x'.repeat(10_001) },
      `the value of "note" has 10001 characters ("${'x'.repeat(40)}…"); the limit is 10000`,
    ],
    ['a nested value too long', { a: { b: 'xyz' } }, 'the value of "a.b" has 3 characters ("xyz"); the limit is 2', { maxValueLength: 2 }],
    ['an empty key', { '  ': 'x' }, 'a field has an empty name'],
    ['an empty nested key', { a: { '': 'x' } }, 'a field inside "a" has an empty name'],
    ['names that trim to one', { a: '1', ' a': '2' }, 'two fields are both named "a" once flattened; rename one of them'],
    ['names that join to one', { 'a.b': '1', a: { b: '2' } }, 'two fields are both named "a.b" once flattened; rename one of them'],
    ['a function', { f: () => 1 }, 'the value of "f" is a function, which is not a field value'],
  ];
  for (const [name, body, error, opts] of errors) {
    it(`refuses ${name}`, () => assert.deepEqual(flattenFields(body, opts), { ok: false, error }));
  }

  it('accepts exactly the limits', () => {
    assert.ok(flattenFields(deep(8)).ok);
    assert.ok(flattenFields(many(500)).ok);
    assert.ok(flattenFields({ note: 'x'.repeat(10_000) }).ok);
  });
});
