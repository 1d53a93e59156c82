import assert from 'node:assert/strict';
import { test } from 'node:test';
import type Stripe from 'stripe';
import type { ActionContext } from './action.js';
import { findBySearch, findInList, LOOKUP_CAP } from './find-by-marker.js';

const ctx: ActionContext = {
  stripe: {} as Stripe,
  marker: {},
  step: () => Promise.reject(new Error('a lookup never writes')),
  read: (fn) => fn(),
};

async function* objects(n: number, marked?: number): AsyncGenerator<{ id: string; metadata: Record<string, string> }> {
  for (let i = 0; i < n; i++) yield { id: `obj_${i}`, metadata: i === marked ? { sluice_row: 'con_1/abc' } : { other: 'x' } };
}

test('a list lookup finds the object with the marker, or proves it absent once every candidate was seen', async () => {
  assert.deepEqual(await findInList(ctx, () => objects(250, 240), 'con_1/abc', 'the things'), {
    kind: 'found',
    id: 'obj_240',
    object: { id: 'obj_240', metadata: { sluice_row: 'con_1/abc' } },
  });
  assert.deepEqual(await findInList(ctx, () => objects(250), 'con_1/abc', 'the things'), { kind: 'absent', where: 'the things' });
  assert.deepEqual(await findInList(ctx, () => objects(LOOKUP_CAP), 'con_1/abc', 'the things'), { kind: 'absent', where: 'the things' });
});

test('a list lookup that stops at its cap with candidates left proves nothing', async () => {
  assert.deepEqual(await findInList(ctx, () => objects(LOOKUP_CAP + 1, LOOKUP_CAP), 'con_1/abc', 'the invoice items of cus_1'), {
    kind: 'unsure',
    why: 'none of the 1000 newest of the invoice items of cus_1 has it, and there are more',
  });
});

test('search asks for the marker, and its miss is unsure: Stripe’s search lags new objects', async () => {
  let asked = '';
  const search = (query: string) => {
    asked = query;
    return objects(0);
  };
  assert.deepEqual(await findBySearch(ctx, search, 'con_1/abc', 'the customers'), {
    kind: 'unsure',
    why: "Stripe's search finds none of the customers with it, but search can lag a new object by a minute or more",
    searchLag: true,
  });
  assert.equal(asked, "metadata['sluice_row']:'con_1/abc'");
  assert.equal((await findBySearch(ctx, () => objects(3, 1), 'con_1/abc', 'the customers')).kind, 'found');
});
