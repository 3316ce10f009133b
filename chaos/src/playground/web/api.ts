/**
 * Requests to the playground server. The token (when the playground needs one) travels in the
 * cookie its printed URL set, so nothing here handles it; JSON bodies make every POST a CORS
 * "non-simple" request that another site's page cannot send.
 */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // plain text (metrics)
  }
  if (!res.ok) throw new ApiError(res.status, typeof parsed === 'object' && parsed !== null && 'error' in parsed ? String((parsed as { error: unknown }).error) : `${res.status} ${text}`);
  return parsed as T;
}

/** Asks first for what cannot be undone; returns false when the user declines. */
export function confirmed(what: string): boolean {
  return window.confirm(what);
}

/** Runs an action and shows its error in the page's toast line rather than throwing. */
export async function attempt(action: () => Promise<unknown>): Promise<boolean> {
  try {
    await action();
    return true;
  } catch (e) {
    toast(e instanceof Error ? e.message : String(e), 'error');
    return false;
  }
}

export function toast(message: string, kind: 'error' | 'info' = 'info'): void {
  const el = document.getElementById('toast');
  if (!el) return;
  el.textContent = message;
  el.className = `toast ${kind}`;
  el.setAttribute('data-kind', kind);
}
