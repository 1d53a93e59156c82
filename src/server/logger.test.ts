import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactUrl } from './logger.js';

test('credentials in URLs are masked before they reach a log', () => {
  assert.equal(redactUrl('/hooks/AbC123-_xyz'), '/hooks/<token>');
  assert.equal(redactUrl('/hooks/AbC123?x=1'), '/hooks/<token>?x=1');
  assert.equal(
    redactUrl('/oauth/google/callback?code=4/0Ab-secret&state=v1.a.b.c&scope=x'),
    '/oauth/google/callback?code=<redacted>&state=<redacted>&scope=x',
  );
  assert.equal(redactUrl('/api/runs/run_1?status=failed'), '/api/runs/run_1?status=failed');
});
