import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OAuthError } from './errors.js';
import { checkAssertion, GOOGLE_TOKEN_AUDIENCES, TIMEFRAME_MESSAGE } from './jwt.js';
import { signAssertion, validClaims } from './test-jwt.js';

const EMAIL = 'bot@proj.iam.gserviceaccount.com';
const now = Math.floor(Date.now() / 1000);

function refusal(assertion: string): { error: string; description: string } {
  try {
    checkAssertion(assertion, now, GOOGLE_TOKEN_AUDIENCES);
  } catch (error) {
    if (error instanceof OAuthError) return { error: error.error, description: error.description };
    throw error;
  }
  throw new Error('expected the assertion to be refused');
}

describe('service account JWT assertions', () => {
  it('accepts any well-formed RS256 assertion and returns its claims', () => {
    const claims = checkAssertion(signAssertion(validClaims(EMAIL)), now, GOOGLE_TOKEN_AUDIENCES);
    assert.equal(claims.iss, EMAIL);
    assert.equal(claims.scope, 'https://www.googleapis.com/auth/spreadsheets');
    const delegated = checkAssertion(signAssertion(validClaims(EMAIL, { sub: 'ana@example.com' })), now, GOOGLE_TOKEN_AUDIENCES);
    assert.equal(delegated.sub, 'ana@example.com');
  });

  it('refuses expired, too long and future tokens with Google’s time-frame message', () => {
    for (const overrides of [
      { exp: now - 1 },
      { iat: now, exp: now + 3601 },
      { iat: now + 3600, exp: now + 3700 },
      { iat: 'x' },
      { exp: undefined },
    ]) {
      assert.deepEqual(refusal(signAssertion(validClaims(EMAIL, overrides))), { error: 'invalid_grant', description: TIMEFRAME_MESSAGE });
    }
    assert.equal(
      TIMEFRAME_MESSAGE,
      'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
    );
  });

  it('refuses malformed assertions', () => {
    const good = signAssertion(validClaims(EMAIL));
    const [header = '', payload = ''] = good.split('.');
    assert.match(refusal('not-a-jwt').description, /^Invalid JWT: the assertion is not a JWT/);
    assert.match(refusal(`${header}.!!!.sig`).description, /not a JWT/);
    assert.equal(refusal(`${header}.${payload}.c2ln`).description, 'Invalid JWT Signature.');
    assert.equal(refusal(`${header}.${payload}.`).description, 'Invalid JWT Signature.');
    assert.equal(refusal(signAssertion(validClaims(EMAIL), { alg: 'HS256' })).description, 'Invalid JWT Signature.');
    assert.equal(
      refusal(signAssertion(validClaims(EMAIL, { aud: 'https://example.com/token' }))).description,
      'Invalid JWT: Failed audience check. The right audience is https://oauth2.googleapis.com/token',
    );
    assert.match(refusal(signAssertion(validClaims(EMAIL, { iss: '' }))).description, /iss claim/);
    assert.deepEqual(refusal(signAssertion(validClaims(EMAIL, { scope: ' ' }))), {
      error: 'invalid_scope',
      description: 'Invalid OAuth scope or ID token audience provided.',
    });
  });
});
