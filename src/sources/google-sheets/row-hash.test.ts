import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { rowHash } from './row-hash.js';

describe('rowHash', () => {
  it('is sha256 of the trimmed cells as a JSON array, base64url, 22 characters', () => {
    const expected = createHash('sha256').update('["A-17","Ann","12.50"]').digest('base64url').slice(0, 22);
    assert.equal(rowHash([' A-17', 'Ann ', '12.50']), expected);
    assert.match(rowHash([]), /^[A-Za-z0-9_-]{22}$/);
  });

  it('ignores surrounding spaces and trailing empty cells', () => {
    const h = rowHash(['a', 'b']);
    assert.equal(rowHash(['a', 'b', '', '  ']), h);
    assert.equal(rowHash([' a ', 'b\t']), h);
  });

  it('depends on position, not on names: an empty cell in between counts', () => {
    assert.notEqual(rowHash(['a', '', 'b']), rowHash(['a', 'b']));
    assert.notEqual(rowHash(['b', 'a']), rowHash(['a', 'b']));
  });

  it('cannot be fooled by values that run into each other', () => {
    assert.notEqual(rowHash(['a,b', 'c']), rowHash(['a', 'b,c']));
    assert.notEqual(rowHash(['a"', 'b']), rowHash(['a', '"b']));
    assert.notEqual(rowHash(['ab']), rowHash(['a', 'b']));
  });

  it('is pinned: changing it would send every row without a key column again', () => {
    assert.equal(rowHash(['Order 1', 'ann@example.com', '12.50']), '3V4CDzMIdPJIzlurt6dqrh');
  });
});
