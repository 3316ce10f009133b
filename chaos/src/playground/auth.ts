import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1';
}

export function newToken(): string {
  return randomBytes(18).toString('base64url');
}

export const COOKIE = 'tidemark_playground';

/** The value of one cookie from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** Constant-time comparison through digests, so neither content nor length leaks by timing. */
export function sameToken(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const d = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(d(given), d(expected));
}

export interface Presented {
  readonly authorization?: string;
  readonly cookie?: string;
  /** The `token` query parameter (the URL the playground prints; EventSource cannot set headers). */
  readonly query?: string;
}

/** Where a request carried the token: header, cookie or query; null when it carried none that matches. */
export function tokenSource(p: Presented, expected: string): 'header' | 'cookie' | 'query' | null {
  const bearer = /^Bearer\s+(.+)$/i.exec(p.authorization ?? '')?.[1]?.trim();
  if (sameToken(bearer, expected)) return 'header';
  if (sameToken(cookieValue(p.cookie, COOKIE), expected)) return 'cookie';
  if (sameToken(p.query, expected)) return 'query';
  return null;
}

/**
 * Loopback only: a page on another site must not drive the playground through the user's browser
 * (DNS rebinding gives it a Host header of its own name). The Host must name this machine.
 */
export function hostAllowed(hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  const host = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.split(':')[0]!;
  return isLoopback(host);
}
