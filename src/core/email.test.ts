import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emailProblem } from './email.js';

describe('emailProblem', () => {
  const refused: Array<[text: string, problem: string]> = [
    ['ada.example.com', 'it has no @'],
    ['ada@@example.com', 'it has 2 @ signs; an address has exactly one'],
    ['ada@b@example.com', 'it has 2 @ signs; an address has exactly one'],
    ['ada lovelace@example.com', 'it has a space in it'],
    ['ada@exam\u200bple.com', 'it has the invisible character U+200B in it'],
    ['@example.com', 'nothing comes before the @'],
    ['ada@', 'nothing comes after the @'],
    ['"ada"@example.com', 'it has a character an address cannot have, such as a quote, a comma or brackets'],
    ['ada,bob@example.com', 'it has a character an address cannot have, such as a quote, a comma or brackets'],
    ['ada@example.com.', 'it ends with a dot'],
    ['ada@.example.com', 'a dot is next to the @ or at the start'],
    ['.ada@example.com', 'a dot is next to the @ or at the start'],
    ['ada.@example.com', 'a dot is next to the @ or at the start'],
    ['ada@example..com', 'it has two dots in a row'],
    ['ada@localhost', 'the domain after the @ has no dot, such as example.com'],
    ['ada@example.c', 'the domain ends in a one-letter name'],
    ['ada@ex\u0430mple.com', '"exаmple" mixes Latin and Cyrillic letters ("а" is Cyrillic, U+0430); type the address in one alphabet'],
    ['\u0430da@example.com', '"аda" mixes Latin and Cyrillic letters ("а" is Cyrillic, U+0430); type the address in one alphabet'],
    ['ada@examp\u03bfle.com', '"exampοle" mixes Latin and Greek letters ("ο" is Greek, U+03BF); type the address in one alphabet'],
  ];
  for (const [text, problem] of refused) it(`refuses ${JSON.stringify(text)}`, () => assert.equal(emailProblem(text), problem));

  const allowed = [
    'ada@example.com',
    'ada+tag@example.com',
    'ada.lovelace@mail.example.co.uk',
    "o'brien@example.ie",
    'пошта@приклад.укр',
    'ada@xn--80ak6aa92e.com',
  ];
  for (const text of allowed) it(`allows ${JSON.stringify(text)}`, () => assert.equal(emailProblem(text), undefined));
});
