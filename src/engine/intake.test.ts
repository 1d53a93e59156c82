import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTemplate, type Template } from '../core/template.js';
import { missingColumns } from './intake.js';

const mapping = (m: Record<string, string>) =>
  new Map(Object.entries(m).map(([k, v]) => [k, (parseTemplate(v) as { ok: true; value: Template }).value]));

test('the columns a mapping uses that the source no longer has, matched as templates match them', () => {
  const m = mapping({ email: '{{Email}}', name: '{{First name}} {{Last name}}', currency: 'usd', 'metadata.order': 'Order {{Order #}}' });
  assert.deepEqual(missingColumns(m, ['Email', 'First name', 'Last name', 'Order #']), []);
  assert.deepEqual(missingColumns(m, ['email', ' first  NAME ', 'Last name', 'Order #', 'Extra']), []);
  assert.deepEqual(missingColumns(m, ['E-mail', 'First name', 'Surname', 'Order #']), ['Email', 'Last name']);
  assert.deepEqual(missingColumns(mapping({ description: 'constant' }), []), []);
});
