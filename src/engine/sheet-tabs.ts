import { z } from 'zod';
import { fieldError, valueError } from '../core/field-error.js';
import { parseSpreadsheetRef } from '../sources/google-sheets/spreadsheet-ref.js';
import { getAccount } from '../store/accounts.js';
import type { Engine } from './context.js';
import { ApiError } from './errors.js';
import { parseBody } from './parse-body.js';

export interface SpreadsheetTabs {
  /** The tabs in the spreadsheet's order (chart sheets left out). */
  tabs: { title: string; sheetId: number }[];
  /** The tab the link named (`#gid=…`), when it named one that exists: the wizard preselects it. */
  linked?: string;
}

const body = z.strictObject({
  accountId: z.string().trim().min(1, { error: 'is empty; choose the Google account that reads the spreadsheet' }),
  spreadsheet: z.string().trim().min(1, { error: "is empty; give the spreadsheet's link or its id" }),
});

/**
 * POST /api/sources/google-sheets/tabs {accountId, spreadsheet}: the tabs of a spreadsheet read
 * through a Google account, so the wizard offers a list instead of asking for a title typed by
 * hand. Reads only the spreadsheet's properties, never its cells.
 */
export async function spreadsheetTabs(engine: Engine, input: unknown): Promise<SpreadsheetTabs> {
  const { accountId, spreadsheet } = parseBody(body, input);
  const ref = parseSpreadsheetRef(spreadsheet);
  if (!ref.ok) {
    const error = fieldError('spreadsheet', spreadsheet, ref.error);
    throw new ApiError(400, error.message, [error]);
  }
  if (ref.value.kind === 'published') {
    const error = valueError(
      'spreadsheet',
      spreadsheet,
      "is the link of a sheet published to the web, which names its one tab already; give the spreadsheet's own link (…/spreadsheets/d/<id>/edit) to list its tabs",
    );
    throw new ApiError(400, error.message, [error]);
  }
  const account = await getAccount(engine.db, accountId);
  if (!account || !account.type.startsWith('google_')) {
    const error = valueError(
      'accountId',
      accountId,
      account ? `is a ${account.type} account; tabs are read through a Google account` : 'is not an account; add a Google account first',
    );
    throw new ApiError(400, error.message, [error]);
  }
  const sheets = engine.google.sheets(account);
  if (!sheets) throw new ApiError(400, `accountId: ${JSON.stringify(accountId)} cannot read spreadsheets`);
  let tabs;
  try {
    tabs = await sheets.tabs(ref.value.id);
  } catch (error) {
    // The Sheets errors already say what to do ("share the sheet with …"); 422 like other source reads.
    throw new ApiError(422, `spreadsheet: could not be read: ${(error as Error).message}`);
  }
  const gid = ref.value.gid;
  const linked = gid === undefined ? undefined : tabs.find((t) => t.sheetId === gid)?.title;
  return { tabs: tabs.map((t) => ({ title: t.title, sheetId: t.sheetId })), ...(linked !== undefined && { linked }) };
}
