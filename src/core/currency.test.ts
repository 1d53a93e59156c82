import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStripeCurrency, minorUnitDigits, parseCurrency } from './currency.js';

describe('minorUnitDigits', () => {
  const cases: Array<[string, 0 | 2 | 3]> = [
    ['usd', 2],
    ['EUR', 2],
    ['uah', 2],
    ['gbp', 2],
    ['jpy', 0],
    ['KRW', 0],
    ['bif', 0],
    ['clp', 0],
    ['djf', 0],
    ['gnf', 0],
    ['kmf', 0],
    ['mga', 0],
    ['pyg', 0],
    ['rwf', 0],
    ['ugx', 0],
    ['vnd', 0],
    ['vuv', 0],
    ['xaf', 0],
    ['xof', 0],
    ['xpf', 0],
    ['bhd', 3],
    ['JOD', 3],
    ['kwd', 3],
    ['omr', 3],
    ['tnd', 3],
    [' jpy ', 0],
  ];
  for (const [code, digits] of cases) {
    it(`${JSON.stringify(code)} has ${digits} decimals`, () => assert.equal(minorUnitDigits(code), digits));
  }
});

describe('parseCurrency', () => {
  const good: Array<[string, string]> = [
    ['usd', 'usd'],
    ['UAH', 'uah'],
    ['Eur ', 'eur'],
    ['  jpy', 'jpy'],
    ['BHD', 'bhd'],
    ['xcg', 'xcg'],
  ];
  for (const [text, code] of good) {
    it(`reads ${JSON.stringify(text)} as ${code}`, () => assert.deepEqual(parseCurrency(text), { ok: true, value: code }));
  }

  const bad: Array<[string, string]> = [
    ['dollars', '"dollars" is not a currency code; use a three-letter ISO code such as usd, eur, uah'],
    ['', '"" is empty; use a three-letter ISO code such as usd, eur, uah'],
    ['   ', '"   " is empty; use a three-letter ISO code such as usd, eur, uah'],
    ['xyz', '"xyz" is not a currency Stripe supports; use a three-letter ISO code such as usd, eur, uah'],
    ['us', '"us" is not a currency code; use a three-letter ISO code such as usd, eur, uah'],
    ['$', '"$" is not a currency code; use a three-letter ISO code such as usd, eur, uah'],
    ['u s d', '"u s d" is not a currency code; use a three-letter ISO code such as usd, eur, uah'],
  ];
  for (const [text, error] of bad) {
    it(`refuses ${JSON.stringify(text)}`, () => assert.deepEqual(parseCurrency(text), { ok: false, error }));
  }

  it('knows every zero- and three-decimal currency as a Stripe currency', () => {
    for (const code of 'bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf bhd jod kwd omr tnd'.split(' ')) {
      assert.ok(isStripeCurrency(code), code);
    }
  });
});
