import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_RETRY_AFTER_MS, parseRetryAfter, retryDelay } from './backoff.js';

const policy = { attempts: 5, baseMs: 1000, maxMs: 8000 };

describe('retryDelay', () => {
  it('draws the wait between 0 and base · 2^(attempt−1), capped at maxMs (full jitter)', () => {
    const cases: Array<[number, number]> = [
      [1, 1000],
      [2, 2000],
      [3, 4000],
      [4, 8000],
      [5, 8000],
      [9, 8000],
    ];
    for (const [attempt, ceiling] of cases) {
      assert.equal(
        retryDelay(attempt, policy, undefined, () => 0),
        0,
      );
      assert.equal(
        retryDelay(attempt, policy, undefined, () => 0.5),
        ceiling / 2,
      );
      assert.equal(
        retryDelay(attempt, policy, undefined, () => 0.999999),
        ceiling - 1,
      );
    }
  });

  it('waits as long as Retry-After says, up to a minute', () => {
    assert.equal(retryDelay(1, policy, 3000), 3000);
    assert.equal(retryDelay(4, policy, 0), 0);
    assert.equal(retryDelay(1, policy, 3_600_000), MAX_RETRY_AFTER_MS);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  const cases: Array<[string | null | undefined, number | undefined]> = [
    [null, undefined],
    [undefined, undefined],
    ['3', 3000],
    [' 0 ', 0],
    ['1.5', 1500],
    ['Wed, 01 Jan 2025 00:00:10 GMT', 10_000],
    ['Tue, 31 Dec 2024 23:00:00 GMT', 0],
    ['soon', undefined],
    ['-1', undefined],
  ];
  for (const [header, expected] of cases) {
    it(`${JSON.stringify(header)} → ${expected}`, () => assert.equal(parseRetryAfter(header, now), expected));
  }
});
