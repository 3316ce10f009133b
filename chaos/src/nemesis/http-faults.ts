import type { HttpBehaviour } from '../readers/http-receiver.js';
import type { Fault, NemesisContext } from './nemesis.js';

/** Changes how the HTTP receiver answers for the fault's duration; healing restores 200s. */
function receiverFault(kind: string, behaviour: (params: Readonly<Record<string, unknown>>) => HttpBehaviour): Fault {
  return {
    kind,
    async inject(ctx: NemesisContext, _target, params) {
      const receiver = ctx.receiver;
      if (!receiver) throw new Error(`${kind} needs the HTTP receiver: attach an http sink`);
      receiver.behave(behaviour(params));
      return async () => receiver.behave({});
    },
  };
}

/** 5xx or 429 answers (with Retry-After when asked): the sink must retry, never skip. */
export const httpError = receiverFault('http-error', (p) => ({ status: Number(p.status ?? 503), ...(p.retry_after_s !== undefined ? { retryAfterS: Number(p.retry_after_s) } : {}) }));

/** Slow answers: a sink that times out sends again (a duplicate the receiver logged). */
export const httpSlow = receiverFault('http-slow', (p) => ({ delayMs: Number(p.delay_ms ?? 2000) }));

/** The connection dropped without an answer (the request may have been received: a lost reply). */
export const httpReset = receiverFault('http-reset', () => ({ reset: true }));
