import { z } from 'zod';
import { looseName } from '../../core/template.js';
import { parseSpreadsheetRef } from './spreadsheet-ref.js';

/** What Sluice can write back into a row once the row is sent. Stored in connections: never renamed. */
export const WRITE_BACK_VALUES = ['stripeId', 'invoiceNumber', 'invoiceStatus', 'invoiceUrl'] as const;
export type WriteBackValue = (typeof WRITE_BACK_VALUES)[number];

/**
 * A Google Sheets tab read on each run.
 *
 * - `spreadsheet`: the spreadsheet's link or id, read through `accountId` (a Google account or
 *   service account Sluice holds); or, with no accountId, the link of a sheet published to the web
 *   as CSV (read-only, no account). See spreadsheet-ref.ts.
 * - `tab`: the tab's title. Required with an account; a published link already names its tab.
 * - `headerRow`: the row that names the columns. (Default: 1)
 * - `firstDataRow`: the first row read as data; rows between the header and it are left alone
 *   (notes, totals). (Default: headerRow + 1)
 * - `keyColumn`: the column whose value identifies a row (an order number). Without it a row is
 *   identified by a hash of its values.
 * - `writeBack`: columns Sluice fills once a row is sent, by column name: `{ "Stripe ID": "stripeId" }`.
 *   Needs an account with write access; not possible for a published link.
 */
export const googleSheetsSettingsSchema = z
  .strictObject({
    type: z.literal('google_sheets'),
    accountId: z.string().trim().min(1, { error: 'accountId is empty; choose a Google account or leave accountId out' }).optional(),
    spreadsheet: z.string({ error: "spreadsheet is required; give the spreadsheet's link or its id" }),
    tab: z.string().trim().min(1, { error: 'tab is empty; give the title of the tab to read, such as Sheet1' }).optional(),
    headerRow: z
      .int({ error: 'headerRow must be a whole number, the row that names the columns (1 for the first row)' })
      .min(1, { error: 'headerRow must be 1 or more (1 is the first row)' })
      .default(1),
    firstDataRow: z.int({ error: 'firstDataRow must be a whole number, the first row read as data' }).optional(),
    keyColumn: z.string().trim().min(1, { error: 'keyColumn is empty; name a column or leave keyColumn out' }).optional(),
    writeBack: z
      .record(
        z.string().trim().min(1, { error: 'writeBack has an empty column name' }),
        z.enum(WRITE_BACK_VALUES, { error: `must be one of ${WRITE_BACK_VALUES.join(', ')}` }),
      )
      .optional(),
  })
  .superRefine((s, ctx) => {
    const ref = parseSpreadsheetRef(s.spreadsheet);
    if (!ref.ok) {
      ctx.addIssue({ code: 'custom', path: ['spreadsheet'], message: ref.error });
      return;
    }
    if (ref.value.kind === 'published') {
      if (s.accountId !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['accountId'],
          message:
            "a sheet published to the web is read without an account; leave accountId out, or give the spreadsheet's own link (…/spreadsheets/d/<id>/edit) to read it through the account",
        });
      }
      if (s.tab !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['tab'],
          message: 'a published link already names its tab; leave tab out (publish another tab to read another one)',
        });
      }
      if (s.writeBack !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['writeBack'],
          message:
            "writeBack is not possible for a sheet published as CSV: a published link can only be read; give the spreadsheet's link and an account to write back",
        });
      }
    } else {
      if (s.accountId === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['accountId'],
          message:
            'is required to read a spreadsheet through the Sheets API; choose a Google account, or publish the sheet to the web as CSV and give that link',
        });
      }
      if (s.tab === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['tab'],
          message: 'is required for a spreadsheet read through an account; give the title of the tab, such as Sheet1',
        });
      }
    }
    if (s.firstDataRow !== undefined && s.firstDataRow <= s.headerRow) {
      ctx.addIssue({
        code: 'custom',
        path: ['firstDataRow'],
        message: `must come after the header row (${s.headerRow}); give ${s.headerRow + 1} or more, or leave firstDataRow out`,
      });
    }
    checkWriteBack(s.writeBack, s.keyColumn, ctx);
  })
  .transform((s) => ({ ...s, firstDataRow: s.firstDataRow ?? s.headerRow + 1 }));

/**
 * A write-back column must not be the key column (writing into it would change the row's identity),
 * and two entries must not name the same column (column names are matched loosely, like mapping
 * fields: "Stripe ID" and "stripe id " are one column).
 */
function checkWriteBack(writeBack: Record<string, string> | undefined, keyColumn: string | undefined, ctx: z.RefinementCtx): void {
  if (writeBack === undefined) return;
  const seen = new Map<string, string>();
  for (const column of Object.keys(writeBack)) {
    const loose = looseName(column);
    if (keyColumn !== undefined && loose === looseName(keyColumn)) {
      ctx.addIssue({
        code: 'custom',
        path: ['writeBack', column],
        message: `${JSON.stringify(column)} is the key column; Sluice cannot write into the column that identifies a row`,
      });
    }
    const earlier = seen.get(loose);
    if (earlier !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['writeBack', column],
        message: `${JSON.stringify(column)} and ${JSON.stringify(earlier)} name the same column; keep one`,
      });
    }
    seen.set(loose, column);
  }
}

/** Settings as read (defaults filled in: `headerRow` and `firstDataRow` are always set). */
export type GoogleSheetsSettings = z.infer<typeof googleSheetsSettingsSchema>;
/** Settings as a person or the API writes them. */
export type GoogleSheetsSettingsInput = z.input<typeof googleSheetsSettingsSchema>;
