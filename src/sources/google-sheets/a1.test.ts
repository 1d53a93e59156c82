import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cellRange, columnIndex, columnLetter, quoteTab, rowsRange } from './a1.js';

describe('columnLetter and columnIndex', () => {
  const cases: Array<[number, string]> = [
    [0, 'A'],
    [1, 'B'],
    [25, 'Z'],
    [26, 'AA'],
    [27, 'AB'],
    [51, 'AZ'],
    [52, 'BA'],
    [701, 'ZZ'],
    [702, 'AAA'],
    [18277, 'ZZZ'],
  ];
  for (const [index, letters] of cases) {
    it(`${index} ↔ ${letters}`, () => {
      assert.equal(columnLetter(index), letters);
      assert.equal(columnIndex(letters), index);
    });
  }

  it('round-trips every column up to ZZZ', () => {
    for (let i = 0; i <= 18277; i++) assert.equal(columnIndex(columnLetter(i)), i);
  });

  it('reads lower case and refuses what is not letters', () => {
    assert.equal(columnIndex('ab'), 27);
    for (const bad of ['', 'A1', '1', 'É', 'A B']) assert.equal(columnIndex(bad), undefined, bad);
  });

  it('refuses a negative or fractional index', () => {
    assert.throws(() => columnLetter(-1), RangeError);
    assert.throws(() => columnLetter(1.5), RangeError);
  });
});

describe('ranges', () => {
  it('always quotes the tab and doubles its apostrophes', () => {
    assert.equal(quoteTab('Sheet1'), "'Sheet1'");
    assert.equal(quoteTab("Jon's Data"), "'Jon''s Data'");
    assert.equal(quoteTab('A1'), "'A1'");
  });

  it('names rows and cells', () => {
    assert.equal(rowsRange('Orders', 2, 2001, 5), "'Orders'!A2:F2001");
    assert.equal(rowsRange('Q1 2024!', 1, 3, 26), "'Q1 2024!'!A1:AA3");
    assert.equal(cellRange('Orders', 7, 27), "'Orders'!AB7");
  });
});
