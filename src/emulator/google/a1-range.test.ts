import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { columnIndex, columnLetters, formatA1, isSingleCell, parseA1, quoteTitle, type A1Range } from './a1-range.js';

describe('A1 notation', () => {
  const cases: [string, A1Range | undefined][] = [
    ['Sheet1', { sheet: 'Sheet1' }],
    ['Sheet1!A1:D', { sheet: 'Sheet1', startRow: 0, startColumn: 0, endColumn: 4 }],
    ["'My Tab'!A2:Z1000", { sheet: 'My Tab', startRow: 1, endRow: 1000, startColumn: 0, endColumn: 26 }],
    ["'It''s'!B2", { sheet: "It's", startRow: 1, endRow: 2, startColumn: 1, endColumn: 2 }],
    ["'My Tab'", { sheet: 'My Tab' }],
    ['A1:B2', { startRow: 0, endRow: 2, startColumn: 0, endColumn: 2 }],
    ['b5:a1', { startRow: 0, endRow: 5, startColumn: 0, endColumn: 2 }],
    ['Orders!B:D', { sheet: 'Orders', startColumn: 1, endColumn: 4 }],
    ['Orders!A:B5', { sheet: 'Orders', startRow: 0, endRow: 5, startColumn: 0, endColumn: 2 }],
    ['Orders!2:5', { sheet: 'Orders', startRow: 1, endRow: 5 }],
    ['Class Data!A2:E', { sheet: 'Class Data', startRow: 1, startColumn: 0, endColumn: 5 }],
    ['AAA1', { startRow: 0, endRow: 1, startColumn: 702, endColumn: 703 }],
    ['Data', { sheet: 'Data' }],
    ['', undefined],
    ['Sheet1!', undefined],
    ['!A1', undefined],
    ['Sheet1!A0', undefined],
    ['Sheet1!A1:B2:C3', undefined],
    ['Sheet1!1:B2', undefined],
    ['Sheet1!A1:5', undefined],
    ["'Unclosed!A1", undefined],
    ["'Tab'A1", undefined],
    ['Sheet1!AAAA1', undefined],
  ];
  for (const [text, expected] of cases) {
    it(`parses ${JSON.stringify(text)}`, () => assert.deepEqual(parseA1(text), expected));
  }

  it('converts columns both ways', () => {
    for (const [index, letters] of [
      [0, 'A'],
      [25, 'Z'],
      [26, 'AA'],
      [701, 'ZZ'],
      [702, 'AAA'],
      [18_277, 'ZZZ'],
    ] as const) {
      assert.equal(columnLetters(index), letters);
      assert.equal(columnIndex(letters), index);
    }
  });

  it('quotes titles as Google does in the ranges it returns', () => {
    assert.equal(quoteTitle('Sheet1'), 'Sheet1');
    assert.equal(quoteTitle('Orders_2024'), 'Orders_2024');
    assert.equal(quoteTitle('My Tab'), "'My Tab'");
    assert.equal(quoteTitle("It's"), "'It''s'");
    assert.equal(quoteTitle('AB12'), "'AB12'");
    assert.equal(quoteTitle('R1C1'), "'R1C1'");
    assert.equal(quoteTitle('2024'), "'2024'");
    assert.equal(formatA1('Sheet1', { startRow: 0, endRow: 5, startColumn: 0, endColumn: 4 }), 'Sheet1!A1:D5');
    assert.equal(formatA1('My Tab', { startRow: 1, endRow: 2, startColumn: 1, endColumn: 2 }), "'My Tab'!B2");
  });

  it('knows a one-cell range, which writes treat as an anchor', () => {
    assert.equal(isSingleCell(parseA1('A1') ?? {}), true);
    assert.equal(isSingleCell(parseA1('A1:A1') ?? {}), true);
    assert.equal(isSingleCell(parseA1('A1:B1') ?? {}), false);
    assert.equal(isSingleCell(parseA1('Sheet1') ?? {}), false);
  });
});
