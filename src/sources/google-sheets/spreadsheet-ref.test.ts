import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSpreadsheetRef, type SpreadsheetRef } from './spreadsheet-ref.js';

const ID = '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms';
const PUB = 'https://docs.google.com/spreadsheets/d/e/2PACX-1vQabc_DEF-123/pub';

describe('parseSpreadsheetRef', () => {
  const good: Array<[string, SpreadsheetRef]> = [
    [ID, { kind: 'id', id: ID }],
    [`  ${ID}\n`, { kind: 'id', id: ID }],
    ['abcdefghijklmnopqrstuvwxy', { kind: 'id', id: 'abcdefghijklmnopqrstuvwxy' }],
    [`https://docs.google.com/spreadsheets/d/${ID}/edit`, { kind: 'id', id: ID }],
    [`https://docs.google.com/spreadsheets/d/${ID}/edit#gid=0`, { kind: 'id', id: ID, gid: 0 }],
    [`https://docs.google.com/spreadsheets/d/${ID}/edit?gid=1234567#gid=1234567`, { kind: 'id', id: ID, gid: 1234567 }],
    [`https://docs.google.com/spreadsheets/d/${ID}/edit?usp=sharing`, { kind: 'id', id: ID }],
    [`https://docs.google.com/spreadsheets/d/${ID}`, { kind: 'id', id: ID }],
    [`https://docs.google.com/spreadsheets/u/1/d/${ID}/edit#gid=5&range=A1`, { kind: 'id', id: ID, gid: 5 }],
    [`docs.google.com/spreadsheets/d/${ID}/edit`, { kind: 'id', id: ID }],
    [`http://127.0.0.1:4010/spreadsheets/d/${ID}/edit`, { kind: 'id', id: ID }],
    [`${PUB}?output=csv`, { kind: 'published', url: `${PUB}?output=csv` }],
    [`${PUB}?gid=0&single=true&output=csv`, { kind: 'published', url: `${PUB}?gid=0&single=true&output=csv` }],
    [`${PUB}?output=csv#gid=0`, { kind: 'published', url: `${PUB}?output=csv` }],
    [
      'http://127.0.0.1:53111/spreadsheets/d/e/2PACX-emulator/pub?output=csv',
      { kind: 'published', url: 'http://127.0.0.1:53111/spreadsheets/d/e/2PACX-emulator/pub?output=csv' },
    ],
  ];
  for (const [text, expected] of good) {
    it(`reads ${JSON.stringify(text)}`, () => assert.deepEqual(parseSpreadsheetRef(text), { ok: true, value: expected }));
  }

  const how = 'in Google Sheets choose File → Share → Publish to web, pick the tab and "Comma-separated values (.csv)", and give that link';
  const bad: Array<[string, string]> = [
    ['', "is empty; give the spreadsheet's link or its id"],
    ['  ', "is empty; give the spreadsheet's link or its id"],
    [
      'orders',
      '"orders" is neither a spreadsheet id nor a link; give the spreadsheet\'s link, such as https://docs.google.com/spreadsheets/d/<id>/edit',
    ],
    [
      '1BxiMVs0XRA5nFMdKvBd',
      '"1BxiMVs0XRA5nFMdKvBd" is neither a spreadsheet id nor a link; give the spreadsheet\'s link, such as https://docs.google.com/spreadsheets/d/<id>/edit',
    ],
    [`${PUB}html`, `${JSON.stringify(`${PUB}html`)} is the link of a web page, not of a CSV file; ${how}`],
    [`${PUB}?output=tsv`, `${JSON.stringify(`${PUB}?output=tsv`)} is published as tsv, not as CSV; ${how} (it ends with output=csv)`],
    [PUB, `${JSON.stringify(PUB)} is published as a web page, not as CSV; ${how} (it ends with output=csv)`],
    [
      `https://example.com/spreadsheets/d/${ID}/edit`,
      `${JSON.stringify(`https://example.com/spreadsheets/d/${ID}/edit`)} is not a Google Sheets link; give the spreadsheet's link, such as https://docs.google.com/spreadsheets/d/<id>/edit`,
    ],
    [
      'https://docs.google.com/document/d/abc/edit',
      '"https://docs.google.com/document/d/abc/edit" is not a Google Sheets link; give the spreadsheet\'s link, such as https://docs.google.com/spreadsheets/d/<id>/edit',
    ],
    [
      'https://docs.google.com/spreadsheets/d/short/edit',
      '"https://docs.google.com/spreadsheets/d/short/edit" does not hold a spreadsheet id ("short" is not one); copy the link again from the browser',
    ],
    ['https://docs.google.com/spreadsheets/d/e/', `"https://docs.google.com/spreadsheets/d/e/" is an incomplete published link; ${how}`],
    [
      `ftp://docs.google.com/spreadsheets/d/${ID}`,
      `${JSON.stringify(`ftp://docs.google.com/spreadsheets/d/${ID}`)} is neither a spreadsheet id nor a link; give the spreadsheet's link, such as https://docs.google.com/spreadsheets/d/<id>/edit`,
    ],
  ];
  for (const [text, error] of bad) {
    it(`refuses ${JSON.stringify(text)}`, () => assert.deepEqual(parseSpreadsheetRef(text), { ok: false, error }));
  }
});
