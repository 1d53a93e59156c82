import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { googleSheetsSettingsSchema } from './settings.js';

const ID = '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms';
const LINK = `https://docs.google.com/spreadsheets/d/${ID}/edit#gid=0`;
const PUBLISHED = 'https://docs.google.com/spreadsheets/d/e/2PACX-1vQabc/pub?gid=0&single=true&output=csv';

function errors(input: unknown): string[] {
  const result = googleSheetsSettingsSchema.safeParse(input);
  assert.equal(result.success, false, 'expected the settings to be refused');
  return result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];
}

describe('googleSheetsSettingsSchema', () => {
  it('fills in the header row and the first data row', () => {
    assert.deepEqual(googleSheetsSettingsSchema.parse({ type: 'google_sheets', accountId: 'acc_1', spreadsheet: LINK, tab: 'Orders' }), {
      type: 'google_sheets',
      accountId: 'acc_1',
      spreadsheet: LINK,
      tab: 'Orders',
      headerRow: 1,
      firstDataRow: 2,
    });
    assert.equal(googleSheetsSettingsSchema.parse({ type: 'google_sheets', spreadsheet: PUBLISHED, headerRow: 3 }).firstDataRow, 4);
    assert.equal(
      googleSheetsSettingsSchema.parse({ type: 'google_sheets', spreadsheet: PUBLISHED, headerRow: 3, firstDataRow: 6 }).firstDataRow,
      6,
    );
  });

  const good: unknown[] = [
    { type: 'google_sheets', accountId: 'acc_1', spreadsheet: ID, tab: 'Sheet1' },
    { type: 'google_sheets', accountId: 'acc_1', spreadsheet: LINK, tab: 'Orders', keyColumn: 'Order #' },
    {
      type: 'google_sheets',
      accountId: 'acc_1',
      spreadsheet: LINK,
      tab: 'Orders',
      keyColumn: 'Order #',
      writeBack: { 'Stripe ID': 'stripeId', Invoice: 'invoiceNumber', Status: 'invoiceStatus', 'Pay link': 'invoiceUrl' },
    },
    { type: 'google_sheets', spreadsheet: PUBLISHED },
    { type: 'google_sheets', spreadsheet: PUBLISHED, headerRow: 2, firstDataRow: 5, keyColumn: 'Email' },
  ];
  for (const input of good) {
    it(`accepts ${JSON.stringify(input)}`, () => assert.ok(googleSheetsSettingsSchema.safeParse(input).success));
  }

  const bad: Array<[string, unknown, string[]]> = [
    [
      'an account read without a tab',
      { type: 'google_sheets', accountId: 'acc_1', spreadsheet: LINK },
      ['tab: is required for a spreadsheet read through an account; give the title of the tab, such as Sheet1'],
    ],
    [
      'a spreadsheet link without an account',
      { type: 'google_sheets', spreadsheet: LINK, tab: 'Orders' },
      [
        'accountId: is required to read a spreadsheet through the Sheets API; choose a Google account, or publish the sheet to the web as CSV and give that link',
      ],
    ],
    [
      'write-back to a published CSV',
      { type: 'google_sheets', spreadsheet: PUBLISHED, writeBack: { 'Stripe ID': 'stripeId' } },
      [
        "writeBack: writeBack is not possible for a sheet published as CSV: a published link can only be read; give the spreadsheet's link and an account to write back",
      ],
    ],
    [
      'an account with a published link',
      { type: 'google_sheets', accountId: 'acc_1', spreadsheet: PUBLISHED },
      [
        "accountId: a sheet published to the web is read without an account; leave accountId out, or give the spreadsheet's own link (…/spreadsheets/d/<id>/edit) to read it through the account",
      ],
    ],
    [
      'a tab with a published link',
      { type: 'google_sheets', spreadsheet: PUBLISHED, tab: 'Orders' },
      ['tab: a published link already names its tab; leave tab out (publish another tab to read another one)'],
    ],
    [
      'a published web page',
      { type: 'google_sheets', spreadsheet: 'https://docs.google.com/spreadsheets/d/e/2PACX-1vQabc/pubhtml' },
      [
        'spreadsheet: "https://docs.google.com/spreadsheets/d/e/2PACX-1vQabc/pubhtml" is the link of a web page, not of a CSV file; in Google Sheets choose File → Share → Publish to web, pick the tab and "Comma-separated values (.csv)", and give that link',
      ],
    ],
    [
      'no spreadsheet',
      { type: 'google_sheets', accountId: 'acc_1', tab: 'Orders' },
      ["spreadsheet: spreadsheet is required; give the spreadsheet's link or its id"],
    ],
    [
      'an empty tab',
      { type: 'google_sheets', accountId: 'acc_1', spreadsheet: ID, tab: ' ' },
      ['tab: tab is empty; give the title of the tab to read, such as Sheet1'],
    ],
    [
      'a header row of 0',
      { type: 'google_sheets', spreadsheet: PUBLISHED, headerRow: 0 },
      ['headerRow: headerRow must be 1 or more (1 is the first row)'],
    ],
    [
      'a fractional header row',
      { type: 'google_sheets', spreadsheet: PUBLISHED, headerRow: 1.5 },
      ['headerRow: headerRow must be a whole number, the row that names the columns (1 for the first row)'],
    ],
    [
      'a first data row above the header',
      { type: 'google_sheets', spreadsheet: PUBLISHED, headerRow: 3, firstDataRow: 3 },
      ['firstDataRow: must come after the header row (3); give 4 or more, or leave firstDataRow out'],
    ],
    [
      'an unknown write-back value',
      { type: 'google_sheets', accountId: 'a', spreadsheet: ID, tab: 'T', writeBack: { 'Stripe ID': 'customerId' } },
      ['writeBack.Stripe ID: must be one of stripeId, invoiceNumber, invoiceStatus, invoiceUrl'],
    ],
    [
      'write-back into the key column',
      { type: 'google_sheets', accountId: 'a', spreadsheet: ID, tab: 'T', keyColumn: 'Order #', writeBack: { 'order # ': 'stripeId' } },
      ['writeBack.order #: "order #" is the key column; Sluice cannot write into the column that identifies a row'],
    ],
    [
      'two write-backs into one column',
      {
        type: 'google_sheets',
        accountId: 'a',
        spreadsheet: ID,
        tab: 'T',
        writeBack: { 'Stripe ID': 'stripeId', 'stripe  id': 'invoiceUrl' },
      },
      ['writeBack.stripe  id: "stripe  id" and "Stripe ID" name the same column; keep one'],
    ],
  ];
  for (const [name, input, expected] of bad) {
    it(`refuses ${name}`, () => assert.deepEqual(errors(input), expected));
  }

  it('refuses unknown settings and another type', () => {
    assert.ok(errors({ type: 'google_sheets', spreadsheet: PUBLISHED, sheet: 'x' }).some((e) => e.includes('sheet')));
    assert.ok(errors({ type: 'csv', spreadsheet: PUBLISHED }).some((e) => e.startsWith('type:')));
  });
});
