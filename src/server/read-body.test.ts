import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Result } from '../core/result.js';
import { decodeUtf8, readForm, readJson } from './read-body.js';

const errorOf = (result: Result<unknown>): string => (result.ok ? '(no error)' : result.error);

describe('decodeUtf8', () => {
  it('decodes UTF-8', () => assert.deepEqual(decodeUtf8(Buffer.from('Ада 👩‍💻')), { ok: true, value: 'Ада 👩‍💻' }));
  it('names the first byte that is not UTF-8 and what comes before it', () => {
    assert.deepEqual(decodeUtf8(Buffer.from([0x4f, 0x6c, 0xe9, 0x21])), {
      ok: false,
      error: 'the body is not UTF-8 text: byte 3 (0xE9, after "Ol") is not part of a UTF-8 character; send the body encoded as UTF-8',
    });
    assert.match(errorOf(decodeUtf8(Buffer.from([0xff]))), /byte 1 \(0xFF\) is not/);
    // A character cut off at the end, and an overlong encoding of "/".
    assert.match(errorOf(decodeUtf8(Buffer.from([0x61, 0xe2, 0x82]))), /byte 2 \(0xE2, after "a"\)/);
    assert.match(errorOf(decodeUtf8(Buffer.from([0xc0, 0xaf]))), /byte 1 \(0xC0\)/);
  });
});

describe('readJson', () => {
  it('parses JSON', () => assert.deepEqual(readJson(Buffer.from('{"a": [1, {"b": "c"}]}')), { ok: true, value: { a: [1, { b: 'c' }] } }));
  it('refuses a __proto__ field anywhere, naming where', () => {
    assert.deepEqual(readJson(Buffer.from('{"a": {"__proto__": {"x": 1}}}')), {
      ok: false,
      error: 'the body has a field named "__proto__" (at "a.__proto__"), which is not accepted; rename the field',
    });
  });
  it('refuses a constructor holding a prototype, but not a field named constructor', () => {
    assert.equal(readJson(Buffer.from('{"constructor": {"prototype": {}}}')).ok, false);
    assert.deepEqual(readJson(Buffer.from('{"constructor": "Ada"}')), { ok: true, value: { constructor: 'Ada' } });
    assert.deepEqual(readJson(Buffer.from('{"note": "__proto__"}')), { ok: true, value: { note: '__proto__' } });
  });
  it('refuses nesting deeper than 64 levels before parsing, counting only brackets outside strings', () => {
    assert.deepEqual(readJson(Buffer.from(`${'['.repeat(65)}${']'.repeat(65)}`)), {
      ok: false,
      error: 'the body is nested 65 levels deep; at most 64 levels are accepted',
    });
    assert.equal(readJson(Buffer.from(`${'['.repeat(64)}${']'.repeat(64)}`)).ok, true);
    assert.equal(readJson(Buffer.from(JSON.stringify({ note: '[[[[['.repeat(100) }))).ok, true);
  });
  it('says why JSON does not parse', () => assert.match(errorOf(readJson(Buffer.from('{"a":'))), /^the body is not valid JSON: /));
});

describe('readForm', () => {
  it('reads an HTML form, repeated names as a list', () => {
    const form = readForm(Buffer.from('email=ada%40example.com&name=Ada+Lovelace&tag=a&tag=b&empty=&flag'));
    assert.deepEqual(form.ok && { ...form.value }, {
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      tag: ['a', 'b'],
      empty: '',
      flag: '',
    });
  });
  it('keeps a field named __proto__ as a field', () => {
    const form = readForm(Buffer.from('__proto__=x&email=a%40b.co'));
    assert.ok(form.ok);
    assert.deepEqual(Object.entries(form.value), [
      ['__proto__', 'x'],
      ['email', 'a@b.co'],
    ]);
  });
  it('refuses a %-escape that is not UTF-8, naming the field', () => {
    assert.deepEqual(readForm(Buffer.from('email=a%40b.co&name=Ol%E9')), {
      ok: false,
      error: 'name: "Ol%E9" has a %-escape that is not UTF-8 (or a % that starts no escape); send the form encoded as UTF-8',
    });
    assert.equal(readForm(Buffer.from('na%FFme=x')).ok, false);
    assert.equal(readForm(Buffer.from([0x6e, 0x3d, 0xe9])).ok, false);
  });
});
