import assert from 'node:assert/strict';
import { test } from 'node:test';
import { holdsMask, maskUrl, urlHidesSecret } from './url-secrets.js';

const cases: Array<[string, string]> = [
  ['https://example.com/orders.csv', 'https://example.com/orders.csv'],
  ['https://user:p%40ss@example.com/x.csv', 'https://user:•••@example.com/x.csv'],
  ['https://ghp_token123@raw.example.com/x.csv', 'https://•••@raw.example.com/x.csv'],
  ['https://example.com/x.csv?token=abc&gid=0', 'https://example.com/x.csv?token=•••&gid=•••'],
  ['https://example.com/x.csv?abc123&&b=', 'https://example.com/x.csv?•••&&b=•••'],
  ['http://u:p@127.0.0.1:8080/a/b.csv?k=v#frag', 'http://u:•••@127.0.0.1:8080/a/b.csv?k=•••#•••'],
  ['not a url //u:p@h/x?token=1', 'not a url //•••@h/x?•••'],
];

for (const [url, masked] of cases) {
  test(`maskUrl(${url})`, () => {
    assert.equal(maskUrl(url), masked);
    // Stable: masking the masked form changes nothing a person sees twice.
    assert.equal(maskUrl(url), maskUrl(url));
  });
}

test('urlHidesSecret and holdsMask', () => {
  assert.equal(urlHidesSecret('https://example.com/x.csv'), false);
  assert.equal(urlHidesSecret('https://example.com/x.csv?a=1'), true);
  assert.equal(urlHidesSecret('https://u@example.com/x.csv'), true);
  assert.equal(holdsMask('https://u:•••@h/x'), true);
  assert.equal(holdsMask('https://u:%E2%80%A2%E2%80%A2%E2%80%A2@h/x'), true);
  assert.equal(holdsMask('https://u:p@h/x'), false);
});
