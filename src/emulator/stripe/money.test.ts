import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StripeError } from './errors.js';
import { checkMinorUnits, multiplyDecimal, normalizeDecimal, wholeAmount } from './money.js';

describe('money', () => {
  it('multiplies decimal unit amounts exactly, rounding half away from zero', () => {
    const cases: [string, number, number][] = [
      ['1050', 3, 3150],
      ['0.1', 3, 0],
      ['33.335', 3, 100],
      ['0.5', 1, 1],
      ['-0.5', 1, -1],
      ['12.499999999999', 2, 25],
      ['999999.999999999999', 1, 1000000],
    ];
    for (const [decimal, quantity, amount] of cases) assert.equal(multiplyDecimal(decimal, quantity), amount, `${decimal} × ${quantity}`);
  });
  it('normalizes decimals the way Stripe echoes them', () => {
    assert.equal(normalizeDecimal('1050.500'), '1050.5');
    assert.equal(normalizeDecimal('007'), '7');
    assert.equal(normalizeDecimal('-0.10'), '-0.1');
    assert.equal(wholeAmount('12.00'), 12);
    assert.equal(wholeAmount('12.5'), null);
  });
  it('asks three-decimal amounts to end in 0', () => {
    assert.throws(() => checkMinorUnits(1005, 'bhd', 'amount'), StripeError);
    assert.doesNotThrow(() => checkMinorUnits(1000, 'kwd', 'amount'));
    assert.doesNotThrow(() => checkMinorUnits(1005, 'usd', 'amount'));
    assert.doesNotThrow(() => checkMinorUnits(7, 'jpy', 'amount'));
  });
});
