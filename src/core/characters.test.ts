import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { characterProblem, codePoint } from './characters.js';

describe('characterProblem', () => {
  const refused: Array<[text: string, problem: string]> = [
    ['Ada\u0000', 'contains the control character U+0000 (NUL) at character 4; remove it (only tabs and line breaks are allowed)'],
    ['\u0007', 'contains the control character U+0007 (BELL) at character 1; remove it (only tabs and line breaks are allowed)'],
    ['a\u000bb', 'contains the control character U+000B (VERTICAL TAB) at character 2; remove it (only tabs and line breaks are allowed)'],
    ['\u001b[31m', 'contains the control character U+001B (ESCAPE) at character 1; remove it (only tabs and line breaks are allowed)'],
    [
      'a\u007f',
      'contains the control character U+007F at character 2, which is often left by text converted from another encoding; remove it',
    ],
    [
      'a\u0085',
      'contains the control character U+0085 at character 2, which is often left by text converted from another encoding; remove it',
    ],
    [
      'Ada \ud83d',
      'contains a lone surrogate U+D83D at character 5: half of a character (such as an emoji) that was cut in two, which is not text; fix the value at its source',
    ],
    [
      '\udc00x',
      'contains a lone surrogate U+DC00 at character 1: half of a character (such as an emoji) that was cut in two, which is not text; fix the value at its source',
    ],
    [
      'Ol\ufffd',
      'contains U+FFFD (the replacement character) at character 3, left where text was damaged by a conversion (a file not saved as UTF-8?); fix the value at its source',
    ],
    [
      'x\u202egnp.exe',
      'contains U+202E (RIGHT-TO-LEFT OVERRIDE) at character 2, an invisible character that makes text display in another order than it is written; remove it',
    ],
    [
      '\u2067admin\u2069',
      'contains U+2067 (RIGHT-TO-LEFT ISOLATE) at character 1, an invisible character that makes text display in another order than it is written; remove it',
    ],
  ];
  for (const [text, problem] of refused) {
    it(`refuses ${JSON.stringify(text)}`, () => assert.equal(characterProblem(text), problem));
  }

  const allowed = ['Ada Lovelace', 'line 1\nline 2', 'a\tb', 'a\r\nb', 'Ада', 'عائشة', 'שלום', 'Ada 👩‍💻', '😀', 'a\u200eb', 'naïve', ''];
  for (const text of allowed) it(`allows ${JSON.stringify(text)}`, () => assert.equal(characterProblem(text), undefined));

  it('writes code points as Unicode does', () => {
    assert.equal(codePoint(0), 'U+0000');
    assert.equal(codePoint(0x202e), 'U+202E');
    assert.equal(codePoint(0x1f600), 'U+1F600');
  });
});
