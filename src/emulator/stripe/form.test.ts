import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StripeError } from './errors.js';
import { parseForm } from './form.js';

/** Parsed hashes have no prototype (so no key can reach Object.prototype); compare them as JSON. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('parseForm', () => {
  it('nests brackets into hashes and indices into arrays', () => {
    assert.deepEqual(
      plain(parseForm('metadata[order]=A-17&address[city]=Kyiv&preferred_locales[0]=uk&preferred_locales[1]=en&name=Ann+Lee')),
      { metadata: { order: 'A-17' }, address: { city: 'Kyiv' }, preferred_locales: ['uk', 'en'], name: 'Ann Lee' },
    );
  });
  it('keeps empty strings (they unset fields) and the last of repeated keys', () => {
    assert.deepEqual(plain(parseForm('description=&name=a&name=b')), { description: '', name: 'b' });
  });
  it('decodes percent-escapes and keeps broken ones as text', () => {
    assert.deepEqual(plain(parseForm('email=a%40b.com&note=100%')), { email: 'a@b.com', note: '100%' });
  });
  it('refuses bodies nested too deeply or with too many parameters', () => {
    assert.throws(() => parseForm(`a${'[b]'.repeat(12)}=1`), StripeError);
    assert.throws(() => parseForm(Array.from({ length: 2500 }, (_, i) => `k${i}=1`).join('&')), StripeError);
  });
  it('ignores prototype keys', () => {
    const parsed = parseForm('__proto__[polluted]=1');
    assert.equal(Object.keys(parsed).length, 0);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
