import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DigestCounter, contentDigest, contentRowKey, digestRowKey, numberedRowKey } from './row-key.js';

describe('contentRowKey', () => {
  const base = { Name: 'Ann', Email: 'ann@example.com', Amount: '12.50' };

  it('is h: and 22 base64url characters, and stays the same across releases', () => {
    // Pinned: changing this value re-sends every row of every content-keyed connection.
    assert.equal(contentRowKey(base), contentRowKey({ ...base }));
    assert.match(contentRowKey(base), /^h:[A-Za-z0-9_-]{22}$/);
    // = base64url(sha256('[["Amount","12.50"],["Email","ann@example.com"],["Name","Ann"]]'))[0..22]
    assert.equal(contentRowKey(base), 'h:2iGVfJe0q1A0JegqQHTnTb');
  });

  const same: Array<[string, Record<string, string>]> = [
    ['columns in another order', { Amount: '12.50', Email: 'ann@example.com', Name: 'Ann' }],
    ['an empty column added', { ...base, Notes: '' }],
    ['a blank column added', { ...base, Notes: '   ' }],
    ['values with surrounding spaces', { Name: ' Ann ', Email: 'ann@example.com\t', Amount: '12.50' }],
  ];
  for (const [name, fields] of same) {
    it(`does not change with ${name}`, () => assert.equal(contentRowKey(fields), contentRowKey(base)));
  }

  const different: Array<[string, Record<string, string>]> = [
    ['another value', { ...base, Amount: '12.51' }],
    ['a renamed column', { Name: 'Ann', 'E-mail': 'ann@example.com', Amount: '12.50' }],
    ['a value in another column', { Name: 'ann@example.com', Email: 'Ann', Amount: '12.50' }],
    ['a new non-empty column', { ...base, Notes: 'x' }],
    ['inner spaces', { ...base, Name: 'A nn' }],
    ['case', { ...base, Name: 'ann' }],
  ];
  for (const [name, fields] of different) {
    it(`changes with ${name}`, () => assert.notEqual(contentRowKey(fields), contentRowKey(base)));
  }

  it('cannot be fooled by names and values that run together', () => {
    assert.notEqual(contentRowKey({ a: 'b', c: 'd' }), contentRowKey({ a: 'b,c,d' }));
    assert.notEqual(contentRowKey({ ab: 'c' }), contentRowKey({ a: 'bc' }));
    assert.notEqual(contentRowKey({ 'a","b': 'c' }), contentRowKey({ a: 'b","c' }));
  });
});

describe('numberedRowKey', () => {
  it('leaves the first occurrence alone and numbers the others from 2', () => {
    assert.equal(numberedRowKey('h:x', 1), 'h:x');
    assert.equal(numberedRowKey('h:x', 2), 'h:x#2');
    assert.equal(numberedRowKey('h:x', 10), 'h:x#10');
  });
});

describe('DigestCounter', () => {
  it('counts each digest, also after growing past its first capacity', () => {
    const counter = new DigestCounter();
    const digests = Array.from({ length: 5000 }, (_, i) => contentDigest({ n: String(i) }));
    for (const digest of digests) assert.equal(counter.count(digest), 1);
    for (const digest of digests) assert.equal(counter.count(digest), 2);
    assert.equal(counter.count(contentDigest({ n: '4999' })), 3);
    assert.equal(counter.count(contentDigest({ n: '5000' })), 1);
  });

  it('makes the same key as contentRowKey', () => {
    const fields = { a: '1', b: '2' };
    assert.equal(digestRowKey(contentDigest(fields)), contentRowKey(fields));
  });
});
