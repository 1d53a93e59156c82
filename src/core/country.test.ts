import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCountry } from './country.js';

describe('parseCountry', () => {
  const read: Array<[text: string, code: string]> = [
    ['UA', 'UA'],
    ['ua', 'UA'],
    [' Gb ', 'GB'],
    ['XK', 'XK'],
  ];
  for (const [text, code] of read)
    it(`reads ${JSON.stringify(text)}`, () => assert.deepEqual(parseCountry(text), { ok: true, value: code }));

  const refused: Array<[text: string, error: string]> = [
    ['UK', '"UK" is not a country code in ISO 3166-1; use GB (the United Kingdom)'],
    ['el', '"el" is not a country code in ISO 3166-1; use GR (Greece)'],
    ['QQ', '"QQ" is not a country code in ISO 3166-1; use a two-letter country code (ISO 3166-1 alpha-2) such as UA or US'],
    ['EU', '"EU" is not a country code in ISO 3166-1; use a two-letter country code (ISO 3166-1 alpha-2) such as UA or US'],
    ['UKR', '"UKR" is not a two-letter country code (ISO 3166-1 alpha-2) such as UA or US'],
    ['Ukraine', '"Ukraine" is not a two-letter country code (ISO 3166-1 alpha-2) such as UA or US'],
  ];
  for (const [text, error] of refused)
    it(`refuses ${JSON.stringify(text)}`, () => assert.deepEqual(parseCountry(text), { ok: false, error }));
});
