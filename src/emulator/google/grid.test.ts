import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { enterValue } from './cells.js';
import { deleteDimension, insertDimension, readWindow, sortRows, writeBlock } from './grid.js';
import type { SheetState } from './store.js';

function tab(rows: unknown[][]): SheetState {
  const sheet: SheetState = { sheetId: 0, title: 'Sheet1', rowCount: 1000, columnCount: 26, rows: [] };
  writeBlock(
    sheet,
    0,
    0,
    rows.map((row) => row.map((v) => enterValue(v, 'USER_ENTERED', 'v'))),
  );
  return sheet;
}

const all = { startRow: 0, endRow: 1000, startColumn: 0, endColumn: 26 };
const read = (sheet: SheetState) => readWindow(sheet, all, 'FORMATTED_VALUE', 'ROWS');

describe('grid', () => {
  it('trims trailing empty cells and rows, keeps inner gaps as "" and []', () => {
    const sheet = tab([['a', '', 'c', '', ''], [], ['', 'x'], ['', ''], []]);
    assert.deepEqual(read(sheet), [['a', '', 'c'], [], ['', 'x']]);
    assert.deepEqual(readWindow(sheet, all, 'FORMATTED_VALUE', 'COLUMNS'), [['a'], ['', '', 'x'], ['c']]);
    assert.deepEqual(readWindow(sheet, { startRow: 1, endRow: 2, startColumn: 0, endColumn: 26 }, 'FORMATTED_VALUE', 'ROWS'), []);
  });

  it('inserts and deletes rows and columns, moving cells with them', () => {
    const sheet = tab([
      ['h1', 'h2'],
      ['a', '1'],
      ['b', '2'],
    ]);
    insertDimension(sheet, 'ROWS', 1, 2);
    assert.equal(sheet.rowCount, 1002);
    assert.deepEqual(read(sheet), [['h1', 'h2'], [], [], ['a', '1'], ['b', '2']]);
    deleteDimension(sheet, 'ROWS', 1, 3);
    insertDimension(sheet, 'COLUMNS', 1, 1);
    assert.equal(sheet.columnCount, 27);
    assert.deepEqual(read(sheet), [
      ['h1', '', 'h2'],
      ['a', '', '1'],
      ['b', '', '2'],
    ]);
    deleteDimension(sheet, 'COLUMNS', 0, 2);
    assert.deepEqual(read(sheet), [['h2'], ['1'], ['2']]);
    insertDimension(sheet, 'ROWS', 500, 3);
    assert.deepEqual(read(sheet), [['h2'], ['1'], ['2']], 'inserting past the data moves nothing');
  });

  it('sorts like Sheets: numbers, then text without case, then booleans, empties last either way', () => {
    const sheet = tab([['key'], ['banana'], ['10'], [''], ['Apple'], ['TRUE'], ['2'], ['apple']]);
    sortRows(sheet, { startRow: 1, endRow: 1000, startColumn: 0, endColumn: 1 }, [{ dimensionIndex: 0, sortOrder: 'ASCENDING' }]);
    assert.deepEqual(read(sheet), [['key'], ['2'], ['10'], ['Apple'], ['apple'], ['banana'], ['TRUE']]);
    sortRows(sheet, { startRow: 1, endRow: 1000, startColumn: 0, endColumn: 1 }, [{ dimensionIndex: 0, sortOrder: 'DESCENDING' }]);
    assert.deepEqual(read(sheet), [['key'], ['TRUE'], ['banana'], ['Apple'], ['apple'], ['10'], ['2']]);
  });

  it('sorts only the cells inside the range, by several columns', () => {
    const sheet = tab([
      ['b', '2', 'keep1'],
      ['a', '2', 'keep2'],
      ['a', '1', 'keep3'],
    ]);
    sortRows(sheet, { startRow: 0, endRow: 3, startColumn: 0, endColumn: 2 }, [
      { dimensionIndex: 0, sortOrder: 'ASCENDING' },
      { dimensionIndex: 1, sortOrder: 'DESCENDING' },
    ]);
    assert.deepEqual(read(sheet), [
      ['a', '2', 'keep1'],
      ['a', '1', 'keep2'],
      ['b', '2', 'keep3'],
    ]);
  });
});
