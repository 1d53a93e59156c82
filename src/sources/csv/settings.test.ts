import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvSettingsSchema } from './settings.js';

function errors(input: unknown): string[] {
  const result = csvSettingsSchema.safeParse(input);
  assert.equal(result.success, false, 'expected the settings to be refused');
  return result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];
}

describe('csvSettingsSchema', () => {
  const good: unknown[] = [
    { type: 'csv', path: 'data/orders.csv' },
    { type: 'csv', url: 'https://example.com/orders.csv?token=x' },
    { type: 'csv', url: 'http://127.0.0.1:8080/a.csv' },
    { type: 'csv', url: 'http://localhost:8080/a.csv' },
    { type: 'csv', url: 'https://user:pass@example.com/a.csv' },
    { type: 'csv', content: 'a,b\n1,2\n' },
    { type: 'csv', content: '' },
    { type: 'csv', path: 'x.csv', keyColumn: 'Order #', delimiter: ';' },
    { type: 'csv', path: 'x.csv', delimiter: '\t' },
    { type: 'csv', path: 'x.csv', delimiter: '|' },
  ];
  for (const input of good) {
    it(`accepts ${JSON.stringify(input)}`, () => assert.ok(csvSettingsSchema.safeParse(input).success));
  }

  it('trims the key column', () => {
    assert.equal(csvSettingsSchema.parse({ type: 'csv', content: '', keyColumn: ' Order ' }).keyColumn, 'Order');
  });

  const bad: Array<[string, unknown, string[]]> = [
    ['no source', { type: 'csv' }, [': give one of path, url or content']],
    [
      'two sources',
      { type: 'csv', path: 'a.csv', url: 'https://example.com/a.csv' },
      ['url: give only one of path, url or content, not path and url'],
    ],
    [
      'three sources',
      { type: 'csv', path: 'a.csv', url: 'https://example.com/a.csv', content: '' },
      ['url: give only one of path, url or content, not path and url and content'],
    ],
    [
      'an ftp url',
      { type: 'csv', url: 'ftp://example.com/a.csv' },
      ['url: url must be a full http:// or https:// address such as https://example.com/orders.csv'],
    ],
    [
      'a relative url',
      { type: 'csv', url: 'orders.csv' },
      ['url: url must be a full http:// or https:// address such as https://example.com/orders.csv'],
    ],
    ['an empty path', { type: 'csv', path: '  ' }, ["path: path is empty; give the CSV file's path"]],
    [
      'an empty key column',
      { type: 'csv', path: 'a.csv', keyColumn: ' ' },
      ['keyColumn: keyColumn is empty; name a column or leave keyColumn out'],
    ],
    ['another delimiter', { type: 'csv', path: 'a.csv', delimiter: ':' }, ['delimiter: delimiter must be one of "," ";" "\\t" "|"']],
  ];
  for (const [name, input, expected] of bad) {
    it(`refuses ${name}`, () => assert.deepEqual(errors(input), expected));
  }

  it('refuses unknown settings and another type', () => {
    assert.ok(errors({ type: 'csv', path: 'a.csv', keycolumn: 'Order' }).some((e) => e.includes('keycolumn')));
    assert.ok(errors({ type: 'webhook', path: 'a.csv' }).some((e) => e.startsWith('type:')));
  });
});
