import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RequestLog } from './request-log.js';
import { Router } from './router.js';
import { endpoint } from './endpoint.js';

const entry = (n: number) => ({ method: 'GET', path: `/v1/${n}`, query: '', body: '', status: 200 });

describe('RequestLog', () => {
  it('keeps the last N requests, oldest first', () => {
    const log = new RequestLog(3);
    for (let n = 1; n <= 5; n++) log.push(entry(n));
    assert.deepEqual(
      log.list().map((r) => r.path),
      ['/v1/3', '/v1/4', '/v1/5'],
    );
    log.clear();
    assert.deepEqual(log.list(), []);
  });
});

describe('Router', () => {
  it('prefers literal segments over parameters, whatever the order', () => {
    const byId = endpoint({ method: 'GET', path: '/v1/customers/:id', params: {}, run: () => 'id' });
    const search = endpoint({ method: 'GET', path: '/v1/customers/search', params: {}, run: () => 'search' });
    const router = new Router([byId, search]);
    assert.equal(router.match('GET', '/v1/customers/search')?.route, search);
    assert.deepEqual(router.match('GET', '/v1/customers/cus%5F1')?.path, { id: 'cus_1' });
    assert.equal(router.match('POST', '/v1/customers/cus_1'), undefined);
    assert.equal(router.match('GET', '/v1/customers/'), undefined);
  });
});
