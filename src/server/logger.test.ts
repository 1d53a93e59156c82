import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger, redactUrl } from './logger.js';

test('credentials in URLs are masked before they reach a log', () => {
  assert.equal(redactUrl('/hooks/AbC123-_xyz'), '/hooks/<token>');
  assert.equal(redactUrl('/hooks/AbC123?x=1'), '/hooks/<token>?x=1');
  assert.equal(
    redactUrl('/oauth/google/callback?code=4/0Ab-secret&state=v1.a.b.c&scope=x'),
    '/oauth/google/callback?code=<redacted>&state=<redacted>&scope=x',
  );
  assert.equal(redactUrl('/api/runs/run_1?status=failed'), '/api/runs/run_1?status=failed');
});

test('cookies, CSRF tokens and passwords are masked should they reach a log line', () => {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
  logger.info({
    req: {
      method: 'POST',
      url: '/api/session/login',
      headers: { cookie: 'sluice_session=SECRET1', 'x-csrf-token': 'SECRET2', authorization: 'Bearer SECRET3' },
    },
  });
  logger.info({ res: { headers: { 'set-cookie': 'sluice_session=SECRET4; HttpOnly' } } });
  logger.info({ headers: { cookie: 'sluice_session=SECRET5' } });
  logger.info({ body: { email: 'owner@example.com', password: 'SECRET6' }, csrfToken: 'SECRET7' });
  logger.info({ body: { source: { type: 'csv', url: 'https://u:SECRET8@example.com/x.csv' } }, source: { url: '?k=SECRET9' } });
  logger.info({ settings: { url: 'https://example.com/x.csv?token=SECRET10' } });
  const text = lines.join('');
  assert.equal(lines.length, 6);
  assert.doesNotMatch(text, /SECRET/);
  assert.match(text, /owner@example\.com/);
});
