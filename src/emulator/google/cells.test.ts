import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { enterValue, formatNumber, readValueInputOption, renderCell, type CellValue, type ValueInputOption } from './cells.js';

function rendered(input: unknown, option: ValueInputOption): [CellValue, CellValue, CellValue] | string {
  const write = enterValue(input, option, 'values[0][0]');
  if (write.kind !== 'set') return write.kind;
  return [renderCell(write.cell, 'FORMATTED_VALUE'), renderCell(write.cell, 'UNFORMATTED_VALUE'), renderCell(write.cell, 'FORMULA')];
}

describe('cells', () => {
  it('stores RAW input as given', () => {
    assert.deepEqual(rendered('007', 'RAW'), ['007', '007', '007']);
    assert.deepEqual(rendered('=1+1', 'RAW'), ['=1+1', '=1+1', '=1+1']);
    assert.deepEqual(rendered(12.5, 'RAW'), ['12.5', 12.5, 12.5]);
    assert.deepEqual(rendered(true, 'RAW'), ['TRUE', true, true]);
  });

  it('parses USER_ENTERED input like the Sheets UI', () => {
    const cases: [string, [CellValue, CellValue, CellValue]][] = [
      ['007', ['7', 7, 7]],
      ['-1.50', ['-1.5', -1.5, -1.5]],
      ['1e3', ['1000', 1000, 1000]],
      ['1,234.5', ['1,234.5', 1234.5, 1234.5]],
      ['$20.50', ['$20.50', 20.5, 20.5]],
      ['50%', ['50%', 0.5, 0.5]],
      ['true', ['TRUE', true, true]],
      ['2024-01-31', ['2024-01-31', 45322, 45322]],
      ['1/31/2024', ['1/31/2024', 45322, 45322]],
      ['2024-02-30', ['2024-02-30', '2024-02-30', '2024-02-30']],
      ["'0042", ['0042', '0042', '0042']],
      ['=SUM(A1:A2)', ['=SUM(A1:A2)', '=SUM(A1:A2)', '=SUM(A1:A2)']],
      ['A-17', ['A-17', 'A-17', 'A-17']],
    ];
    for (const [input, expected] of cases) assert.deepEqual(rendered(input, 'USER_ENTERED'), expected, input);
  });

  it('skips null, clears on empty string, refuses objects with Google’s wording', () => {
    assert.equal(rendered(null, 'RAW'), 'skip');
    assert.equal(rendered('', 'USER_ENTERED'), 'clear');
    assert.throws(() => enterValue({ a: 1 }, 'RAW', 'values[2][1]'), /^GoogleApiError: Invalid values\[2\]\[1\]: struct_value$/);
    assert.throws(() => enterValue([1], 'RAW', 'values[0][0]'), /list_value/);
  });

  it('formats numbers in the General format', () => {
    assert.equal(formatNumber(0.1 + 0.2), '0.3');
    assert.equal(formatNumber(1e21), '1E+21');
    assert.equal(formatNumber(-42), '-42');
  });

  it('refuses an unknown valueInputOption with Google’s message', () => {
    assert.equal(readValueInputOption(undefined), undefined);
    assert.throws(
      () => readValueInputOption('PARSED'),
      (e: Error) =>
        e.message === `Invalid value at 'value_input_option' (type.googleapis.com/google.apps.sheets.v4.ValueInputOption), "PARSED"`,
    );
  });
});
