/**
 * Whether a text value is a spreadsheet formula rather than a value: what a sheet exported "with
 * formulas" (or a cell that an attacker filled in) gives, such as `=HYPERLINK("http://evil","click")`.
 * Sent to Stripe it would show as that text on invoices and in the Dashboard, and a sheet that
 * later imports it from Stripe would run it (CSV injection). So a text field refuses it.
 *
 * The rule is deliberately narrow, because many real values start with the same characters:
 * phone numbers (`+380 44 123 4567`, `+1-555-123-4567`), handles (`@ada`), list items
 * (`- shipping (2 days)`), negative numbers (`-3`). A value is a formula when, after its first
 * character and any spaces:
 * - `=` is followed by a function call (`SUM(`), a cell reference (`A1`, `$B$2`), a number, a
 *   string, a sign or a parenthesis: `=1+2`, `="0123"`, `=(A1)`;
 * - `+` or `-` is followed by an upper-case function call (`+SUM(`), a DDE call (`+cmd|`), or a
 *   number or cell followed by an operator other than `-` (`-2+3`, `+A1*2`; not `+1-555-1234`);
 * - `@` is followed by an upper-case function call (`@SUM(A1)`) or a DDE call.
 */
export function looksLikeFormula(text: string): boolean {
  const value = text.trim();
  const sign = value[0];
  const rest = value.slice(1).trimStart();
  switch (sign) {
    case '=':
      return ANY_CALL.test(rest) || DDE.test(rest) || CELL.test(rest) || /^[\d"'(+-]/.test(rest);
    case '+':
    case '-':
      return UPPER_CALL.test(rest) || DDE.test(rest) || ARITHMETIC.test(rest);
    case '@':
      return UPPER_CALL.test(rest) || DDE.test(rest);
    default:
      return false;
  }
}

/** `HYPERLINK(`, `_xlfn.CONCAT(`, `sum(`: a function name right before a parenthesis. */
const ANY_CALL = /^[A-Za-z_][A-Za-z0-9_.]*\(/;
/** As typed in a sheet's formula bar and kept by exports: `SUM(`, `HYPERLINK(`. */
const UPPER_CALL = /^[A-Z_][A-Z0-9_.]*\(/;
/** Dynamic Data Exchange: `cmd|' /C calc'!A0` runs a program in some spreadsheets. */
const DDE = /^[A-Za-z0-9_.]+\|/;
const CELL = /^\$?[A-Za-z]{1,3}\$?\d{1,7}(?![A-Za-z0-9_])/;
const ARITHMETIC = /^(?:\d+(?:[.,]\d+)?|\$?[A-Za-z]{1,3}\$?\d{1,7})\s*[+*/^&]/;
