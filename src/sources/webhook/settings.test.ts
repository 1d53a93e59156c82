import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { thankYouRedirect, webhookSettingsSchema } from './settings.js';

describe('webhook settings: thankYouUrl', () => {
  it('takes only http(s) addresses when saved', () => {
    for (const bad of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'javascript://example.com/%0aalert(1)',
      'data:text/html,hi',
      '//evil.example',
    ]) {
      const parsed = webhookSettingsSchema.safeParse({ type: 'webhook', thankYouUrl: bad });
      assert.equal(parsed.success, false, bad);
    }
    assert.equal(webhookSettingsSchema.safeParse({ type: 'webhook', thankYouUrl: 'https://example.com/thanks' }).success, true);
  });

  it('redirects only to an encoded http(s) address, whatever was stored', () => {
    const cases: [string | undefined, string | undefined][] = [
      [undefined, undefined],
      ['https://example.com/thanks?from=form', 'https://example.com/thanks?from=form'],
      ['http://example.com/merci €', 'http://example.com/merci%20%E2%82%AC'],
      // Stored before the check existed, or written into the store by hand: never a redirect.
      ['javascript:alert(1)', undefined],
      ['data:text/html,<script>alert(1)</script>', undefined],
      ['not a url', undefined],
    ];
    for (const [stored, expected] of cases) {
      assert.equal(thankYouRedirect({ type: 'webhook', ...(stored !== undefined && { thankYouUrl: stored }) }), expected, String(stored));
    }
  });
});
