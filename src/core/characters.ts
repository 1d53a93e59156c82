/**
 * Characters no field sent to Stripe should hold, found before a row is sent rather than stored in
 * Stripe where nobody sees them:
 *
 * - control characters (U+0000–U+001F, U+007F–U+009F) other than tab and line breaks: invisible,
 *   and a NUL cuts the text short in many programs; tab and line breaks are kept, since a
 *   description or an address may have several lines;
 * - a lone surrogate (half of a character outside the Basic Multilingual Plane, such as an emoji,
 *   cut in two): not text at all, and the form encoding would send U+FFFD in its place;
 * - U+FFFD, the replacement character: what a decoder leaves where bytes were not valid text (a
 *   file saved in Windows-1251 or Latin-1 read as UTF-8), so the value is already damaged;
 * - the bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069):
 *   they make text display in another order than it is stored ("Trojan source"), so that a name or
 *   a description reads differently in the Dashboard from what it is.
 */

const C0_NAMES = [
  'NUL',
  'START OF HEADING',
  'START OF TEXT',
  'END OF TEXT',
  'END OF TRANSMISSION',
  'ENQUIRY',
  'ACKNOWLEDGE',
  'BELL',
  'BACKSPACE',
  'TAB',
  'LINE FEED',
  'VERTICAL TAB',
  'FORM FEED',
  'CARRIAGE RETURN',
  'SHIFT OUT',
  'SHIFT IN',
  'DATA LINK ESCAPE',
  'DEVICE CONTROL ONE',
  'DEVICE CONTROL TWO',
  'DEVICE CONTROL THREE',
  'DEVICE CONTROL FOUR',
  'NEGATIVE ACKNOWLEDGE',
  'SYNCHRONOUS IDLE',
  'END OF TRANSMISSION BLOCK',
  'CANCEL',
  'END OF MEDIUM',
  'SUBSTITUTE',
  'ESCAPE',
  'FILE SEPARATOR',
  'GROUP SEPARATOR',
  'RECORD SEPARATOR',
  'UNIT SEPARATOR',
] as const;

const BIDI_NAMES: Readonly<Record<number, string>> = {
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
};

/** `U+0000`: a code point the way Unicode writes it. */
export function codePoint(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The first character of `text` that no field may hold, as the end of a sentence that starts with
 * the quoted value (`contains U+0000 (NUL) at character 4, …`), or undefined when there is none.
 */
export function characterProblem(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const at = `at character ${i + 1}`;
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) {
      return `contains the control character ${codePoint(code)} (${C0_NAMES[code]}) ${at}; remove it (only tabs and line breaks are allowed)`;
    }
    if (code >= 0x7f && code <= 0x9f) {
      return `contains the control character ${codePoint(code)} ${at}, which is often left by text converted from another encoding; remove it`;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return `contains a lone surrogate ${codePoint(code)} ${at}: half of a character (such as an emoji) that was cut in two, which is not text; fix the value at its source`;
    }
    if (code === 0xfffd) {
      return `contains U+FFFD (the replacement character) ${at}, left where text was damaged by a conversion (a file not saved as UTF-8?); fix the value at its source`;
    }
    const bidi = BIDI_NAMES[code];
    if (bidi !== undefined) {
      return `contains ${codePoint(code)} (${bidi}) ${at}, an invisible character that makes text display in another order than it is written; remove it`;
    }
  }
  return undefined;
}
