import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adoptTokenFromFragment, claimsOf, isAdmin, isExpired } from '../../../main/resources/static/app/session.js';

function jwt(claims) {
  const part = value => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256' })}.${part(claims)}.signature`;
}

test('claims are read from the token without verifying it', () => {
  const claims = claimsOf(jwt({ sub: 'zoë', roles: ['admin'], exp: 2000 }));
  assert.equal(claims.sub, 'zoë');
  assert.equal(isAdmin(claims), true);
  assert.equal(isExpired(claims, 1_999_000), false);
  assert.equal(isExpired(claims, 2_000_000), true);
});

test('anything that is not a JWT has no claims', () => {
  for (const token of ['', 'abc', 'a.b', 'a.!!!.c', `x.${Buffer.from('[1').toString('base64url')}.y`]) {
    assert.equal(claimsOf(token), null, token);
  }
});

test('a user without roles is not an admin', () => {
  assert.equal(isAdmin(claimsOf(jwt({ sub: 'u' }))), false);
});

test('the token in the fragment is kept and removed from the address', () => {
  const stored = new Map();
  const storage = { setItem: (k, v) => stored.set(k, v) };
  let replaced = null;
  const history = { replaceState: (state, title, url) => { replaced = url; } };
  const adopted = adoptTokenFromFragment({ hash: '#token=abc.def.ghi', pathname: '/', search: '' }, history, storage);
  assert.equal(adopted, true);
  assert.deepEqual([...stored.values()], ['abc.def.ghi']);
  assert.equal(replaced, '/');
  assert.equal(adoptTokenFromFragment({ hash: '', pathname: '/', search: '' }, history, storage), false);
});
