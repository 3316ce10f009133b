import { describe, expect, it } from 'vitest';
import { COOKIE, cookieValue, hostAllowed, isLoopback, newToken, tokenSource } from '../../../chaos/src/playground/auth.js';

describe('playground auth', () => {
  it('tells loopback addresses from others', () => {
    for (const h of ['127.0.0.1', '127.8.9.1', 'localhost', '::1', '[::1]']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', 'example.com', '128.0.0.1']) expect(isLoopback(h), h).toBe(false);
  });

  it('accepts the token from a bearer header, the cookie or the query, and nothing else', () => {
    const token = newToken();
    expect(token.length).toBeGreaterThanOrEqual(20);
    expect(tokenSource({ authorization: `Bearer ${token}` }, token)).toBe('header');
    expect(tokenSource({ cookie: `a=b; ${COOKIE}=${encodeURIComponent(token)}; c=d` }, token)).toBe('cookie');
    expect(tokenSource({ query: token }, token)).toBe('query');
    expect(tokenSource({}, token)).toBeNull();
    expect(tokenSource({ authorization: `Bearer ${token}x`, cookie: `${COOKIE}=nope`, query: token.slice(1) }, token)).toBeNull();
    expect(tokenSource({ authorization: token }, token)).toBeNull();
  });

  it('parses one cookie out of a header', () => {
    expect(cookieValue('x=1; y=two%20words', 'y')).toBe('two words');
    expect(cookieValue(undefined, 'y')).toBeUndefined();
    expect(cookieValue('xy=1', 'y')).toBeUndefined();
  });

  it('on loopback, only a Host naming this machine gets in (no DNS rebinding)', () => {
    expect(hostAllowed('127.0.0.1:7474')).toBe(true);
    expect(hostAllowed('localhost:7474')).toBe(true);
    expect(hostAllowed('[::1]:7474')).toBe(true);
    expect(hostAllowed('evil.example:7474')).toBe(false);
    expect(hostAllowed(undefined)).toBe(false);
  });
});
