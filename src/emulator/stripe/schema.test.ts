import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StripeError } from './errors.js';
import { parseForm } from './form.js';
import {
  arr,
  bool,
  currency,
  decimal,
  email,
  int,
  listWithOr,
  metadata,
  obj,
  oneOf,
  range,
  required,
  str,
  validateFields,
  type Fields,
} from './schema.js';

function messageOf(fields: Fields, body: string): string {
  try {
    validateFields(fields, parseForm(body));
  } catch (error) {
    if (error instanceof StripeError) return error.body.message;
    throw error;
  }
  return 'ok';
}

describe('validateFields', () => {
  const fields = {
    customer: required(str()),
    amount: int(),
    paid: bool(),
    email: email(),
    currency: currency(),
    unit: decimal(),
    method: oneOf(['a', 'b', 'c']),
    metadata: metadata(),
    address: obj({ city: str(), line1: required(str()) }),
    tags: arr(str(), { max: 2 }),
    created: range(),
  } as const;

  it('types and converts values, empty strings becoming null', () => {
    const input = validateFields(
      fields,
      parseForm(
        'customer=cus_1&amount=-5&paid=true&currency=EUR&unit=1.50&method=b&metadata[k]=v&metadata[gone]=&address[line1]=x&tags[0]=t&email=&created[gte]=10',
      ),
    );
    assert.deepEqual(input, {
      customer: 'cus_1',
      amount: -5,
      paid: true,
      email: null,
      currency: 'eur',
      unit: '1.50',
      method: 'b',
      metadata: { k: 'v', gone: null },
      address: { line1: 'x' },
      tags: ['t'],
      created: { gte: 10 },
    });
  });

  it('pins Stripe’s messages for each kind of problem', () => {
    const cases: [string, string][] = [
      ['customer=c&foo=1', 'Received unknown parameter: foo'],
      ['customer=c&address[zip]=1', 'Received unknown parameter: address[zip]'],
      ['amount=1', 'Missing required param: customer.'],
      ['customer=c&address[city]=x', 'Missing required param: address[line1].'],
      ['customer=c&amount=abc', 'Invalid integer: abc'],
      ['customer=c&amount=1.5', 'Invalid integer: 1.5'],
      ['customer=c&paid=yes', 'Invalid boolean: yes'],
      ['customer=c&email=x', 'Invalid email address: x'],
      ['customer=c&unit=1e5', 'Invalid decimal: 1e5'],
      ['customer=c&method=d', 'Invalid method: must be one of a, b, or c'],
      ['customer=c&address=x', 'Invalid object'],
      ['customer=c&metadata=x', 'Invalid hash'],
      ['customer=c&tags=x', 'Invalid array'],
      ['customer[x]=1', 'Invalid string: {"x":"1"}'],
    ];
    for (const [body, message] of cases) assert.equal(messageOf(fields, body), message, body);
    assert.match(messageOf(fields, 'customer='), /^You passed an empty string for 'customer'/);
    assert.match(
      messageOf(fields, 'customer=c&currency=zzz'),
      /^Invalid currency: zzz\. Stripe currently supports these currencies: usd, /,
    );
    assert.match(messageOf(fields, 'customer=c&tags[0]=a&tags[1]=b&tags[2]=c'), /at most 2 items/);
    assert.match(messageOf({ m: metadata() }, `m[${'k'.repeat(41)}]=v`), /at most 40 characters/);
  });

  it('formats enum lists like Stripe', () => {
    assert.equal(listWithOr(['a', 'b']), 'a or b');
    assert.equal(listWithOr(['a', 'b', 'c']), 'a, b, or c');
  });
});
