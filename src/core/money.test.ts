import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMinor, parseAmount } from './money.js';

describe('parseAmount reads what people type', () => {
  const cases: Array<[text: string, currency: string, minor: number]> = [
    ['12.50', 'usd', 1250],
    ['12,50', 'eur', 1250],
    ['1 234,50', 'eur', 123450],
    ['1\u00a0234,50', 'eur', 123450],
    ['1\u202f234,50', 'eur', 123450],
    ['1,234.50', 'usd', 123450],
    ['1.234,50', 'eur', 123450],
    ["1'234.50", 'chf', 123450],
    ['1\u2019234.50', 'chf', 123450],
    ['$12.50', 'usd', 1250],
    ['€12,50', 'eur', 1250],
    ['12,50 €', 'eur', 1250],
    ['12.50 USD', 'usd', 1250],
    ['USD 12.50', 'usd', 1250],
    ['usd12.50', 'usd', 1250],
    ['US$12.50', 'usd', 1250],
    ['-5.00', 'usd', -500],
    ['\u22125', 'usd', -500],
    ['-$5', 'usd', -500],
    ['$-5', 'usd', -500],
    ['-5.00 USD', 'usd', -500],
    ['+3', 'usd', 300],
    ['12', 'usd', 1200],
    ['.5', 'usd', 50],
    ['0.01', 'usd', 1],
    ['  12.50  ', 'usd', 1250],
    ['12.', 'usd', 1200],
    ['007', 'usd', 700],
    ['-0', 'usd', 0],
    ['1,234', 'usd', 123400],
    ['1.234', 'eur', 123400],
    ['1,234,567', 'usd', 123456700],
    ['1.234.567,89', 'eur', 123456789],
    ['12,34,567.00', 'inr', 123456700],
    ['12.5000', 'usd', 1250],
    ['999999.99', 'usd', 99999999],
    ['99999999.99', 'usd', 9999999999],
    ['1200', 'jpy', 1200],
    ['12.00', 'jpy', 12],
    ['¥1,200', 'jpy', 1200],
    ['1 200', 'jpy', 1200],
    ['-300', 'krw', -300],
    ['12.340', 'bhd', 12340],
    ['12.34', 'bhd', 12340],
    ['12,34', 'bhd', 12340],
    ['1,230', 'kwd', 1230],
    ['1,000', 'kwd', 1000],
    ['1,000.000', 'kwd', 1000000],
    ['1.000', 'kwd', 1000],
    ['1,234.560', 'kwd', 1234560],
    ['0.5', 'jod', 500],
    ['12,50', 'uah', 1250],
    ['₴12,50', 'uah', 1250],
    // A lone separator before exactly three digits groups thousands (for 0- and 2-decimal
    // currencies), however many digits come before it.
    ['12.505', 'usd', 1250500],
    ['12,505', 'eur', 1250500],
  ];
  for (const [text, currency, minor] of cases) {
    it(`${JSON.stringify(text)} ${currency} → ${minor}`, () => {
      assert.deepEqual(parseAmount(text, currency), { ok: true, value: minor });
    });
  }
});

describe('parseAmount refuses what it cannot read exactly', () => {
  const cases: Array<[text: string, currency: string, error: string]> = [
    ['12,5O', 'eur', '"12,5O" is not a number'],
    ['', 'usd', '"" is empty; an amount such as 12.50 is needed'],
    ['   ', 'usd', '"   " is empty; an amount such as 12.50 is needed'],
    ['1e5', 'usd', '"1e5" is not a number: exponent notation is not accepted; write all the digits, such as 100000'],
    ['12.5051', 'usd', '"12.5051" has more decimals than USD allows (2)'],
    ['1,234.505', 'usd', '"1,234.505" has more decimals than USD allows (2)'],
    ['0.001', 'eur', '"0.001" has more decimals than EUR allows (2)'],
    ['0,125', 'eur', '"0,125" has more decimals than EUR allows (2)'],
    ['1234,567', 'eur', '"1234,567" has more decimals than EUR allows (2)'],
    ['1,234.5', 'jpy', '"1,234.5" has decimals, but JPY has no minor unit: amounts in JPY are whole numbers'],
    ['1 234.567,50', 'eur', '"1 234.567,50" is not a number: it mixes different thousands separators'],
    ['12.50', 'jpy', '"12.50" has decimals, but JPY has no minor unit: amounts in JPY are whole numbers'],
    ['12,5', 'jpy', '"12,5" has decimals, but JPY has no minor unit: amounts in JPY are whole numbers'],
    [
      '12.345',
      'bhd',
      '"12.345" ends in a third decimal that is not 0; Stripe needs the last digit of a BHD amount to be 0 (such as 12.340)',
    ],
    ['1,234', 'kwd', '"1,234" ends in a third decimal that is not 0; Stripe needs the last digit of a KWD amount to be 0 (such as 1.230)'],
    ['12.3456', 'bhd', '"12.3456" has more decimals than BHD allows (3)'],
    ['123456789', 'usd', '"123456789" is too large: an amount has at most 8 digits before the decimal mark (99999999 USD)'],
    ['1,000,000,000.00', 'usd', '"1,000,000,000.00" is too large: an amount has at most 8 digits before the decimal mark (99999999 USD)'],
    ['dollars', 'usd', '"dollars" is not a number'],
    ['$', 'usd', '"$" is not a number'],
    ['-', 'usd', '"-" is not a number'],
    ['.', 'usd', '"." is not a number'],
    ['12 abc', 'usd', '"12 abc" is not a number'],
    ['--5', 'usd', '"--5" is not a number'],
    ['5-', 'usd', '"5-" is not a number'],
    ['1.2.3,4,5', 'eur', '"1.2.3,4,5" is not a number'],
    ['12.50.1', 'usd', '"12.50.1" is not a number: the digits between thousands separators should come in groups of three'],
    ['1,2,3', 'usd', '"1,2,3" is not a number: the digits between thousands separators should come in groups of three'],
    ["1 234'567", 'usd', '"1 234\'567" is not a number: it mixes different thousands separators'],
    ['12,50 EUR', 'usd', '"12,50 EUR" is in EUR, but the currency is USD'],
    ['€12.50', 'usd', '"€12.50" has the currency sign €, which does not stand for USD'],
    ['0x1F', 'usd', '"0x1F" is not a number'],
    ['١٢', 'usd', '"١٢" is not a number: write its digits as 0–9'],
  ];
  for (const [text, currency, error] of cases) {
    it(`${JSON.stringify(text)} ${currency}`, () => {
      assert.deepEqual(parseAmount(text, currency), { ok: false, error });
    });
  }
});

describe('formatMinor', () => {
  const cases: Array<[minor: number, currency: string, text: string]> = [
    [1250, 'usd', '12.50'],
    [5, 'usd', '0.05'],
    [0, 'usd', '0.00'],
    [-500, 'eur', '-5.00'],
    [1200, 'jpy', '1200'],
    [-3, 'krw', '-3'],
    [12340, 'bhd', '12.340'],
    [10, 'kwd', '0.010'],
    [123456789, 'usd', '1234567.89'],
  ];
  for (const [minor, currency, text] of cases) {
    it(`${minor} ${currency} → ${text}`, () => assert.equal(formatMinor(minor, currency), text));
  }

  it('round-trips through parseAmount', () => {
    for (const [minor, currency] of cases) {
      assert.deepEqual(parseAmount(formatMinor(minor, currency), currency), { ok: true, value: minor });
    }
  });

  it('refuses a non-integer amount', () => {
    assert.throws(() => formatMinor(12.5, 'usd'), RangeError);
  });
});
