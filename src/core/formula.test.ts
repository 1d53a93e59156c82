import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { looksLikeFormula } from './formula.js';

describe('looksLikeFormula', () => {
  const formulas = [
    '=HYPERLINK("http://evil.example","click")',
    '=hyperlink("x")',
    '=SUM(A1:A9)',
    '=1+2',
    '=A1',
    '=$B$2*3',
    '="0123"',
    '=(1)',
    '=-5',
    "+cmd|' /C calc'!A0",
    '-cmd|x',
    '@SUM(A1)',
    '+SUM(A1)',
    '-2+3',
    '+1*2',
    '-A1+B1',
    '  =1+2',
    '=_xlfn.CONCAT("a","b")',
  ];
  for (const text of formulas) it(`refuses ${JSON.stringify(text)}`, () => assert.equal(looksLikeFormula(text), true));

  const values = [
    '+380 44 123 4567',
    '+1-555-123-4567',
    '+1 (555) 123-4567',
    '+44 20 7946 0958',
    '-3',
    '-3.50',
    '+3',
    '-5%',
    '@ada',
    '@ada_lovelace',
    '@home(office)',
    '- shipping (2 days)',
    '-item(s) delivered',
    '+ extra',
    '= hello',
    '=',
    '==',
    '=> next',
    'Ada = Lovelace',
    'A=1',
    'Order A-17+1',
    '',
  ];
  for (const text of values) it(`lets ${JSON.stringify(text)} through`, () => assert.equal(looksLikeFormula(text), false));
});
