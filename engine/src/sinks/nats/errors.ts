import { errors as natsErrors } from '@nats-io/transport-node';
import { JetStreamApiError } from '@nats-io/jetstream';
import { TidemarkError, type ErrorCode } from '../../errors/index.js';

/**
 * JetStream API errors by err_code, then by message (the reference's NATS failure-mode table as
 * data). Codes from nats-server's errors.json.
 */
const API_RULES: ReadonlyArray<{ readonly code?: number; readonly message?: RegExp; readonly as: ErrorCode; readonly hint: string }> = [
  { code: 10059, as: 'TIDEMARK_ERR_NATS_STREAM_NOT_FOUND', hint: 'create the stream or set create_stream: true' },
  { code: 10039, as: 'TIDEMARK_ERR_NATS_JETSTREAM_DISABLED', hint: 'enable JetStream for the account' },
  { code: 10060, as: 'TIDEMARK_ERR_SINK_REJECTED', hint: 'the subject belongs to another stream than the configured one' },
  { code: 10054, message: /message size exceeds maximum/i, as: 'TIDEMARK_ERR_SINK_TOO_LARGE', hint: 'the stream max_msg_size is smaller than this event' },
  { code: 10023, message: /insufficient resources|maximum (messages|bytes) exceeded|store failed/i, as: 'TIDEMARK_ERR_NATS_STORAGE_FULL', hint: 'raise the stream limits or free storage' },
];

export function classifyNatsError(e: unknown, sinkId: string, doing: string): TidemarkError {
  if (e instanceof TidemarkError) return e;
  const message = (e as Error | undefined)?.message ?? String(e);
  const context = { sink: sinkId };
  const make = (code: ErrorCode, hint: string) => new TidemarkError(code, `NATS ${doing} failed: ${message} (${hint})`, { cause: e, context });
  if ((e as Error | undefined)?.name === 'JetStreamNotEnabled') {
    // A publish nobody answers is reported as "jetstream not enabled" by the client: usually no stream captures the subject, or JetStream is restarting.
    return make('TIDEMARK_ERR_NATS_NO_RESPONDERS', 'no stream answered: JetStream is (re)starting or no stream captures the subject; retrying');
  }
  if (e instanceof JetStreamApiError) {
    const rule = API_RULES.find((r) => r.code === e.code) ?? API_RULES.find((r) => r.message?.test(message));
    if (rule) return make(rule.as, rule.hint);
    return make(e.status >= 500 ? 'TIDEMARK_ERR_SINK_UNAVAILABLE' : 'TIDEMARK_ERR_SINK_REJECTED', `JetStream error ${e.code}`);
  }
  if (e instanceof natsErrors.AuthorizationError || e instanceof natsErrors.UserAuthenticationExpiredError) return make('TIDEMARK_ERR_SINK_AUTH', 'fix username/password, token or credentials_file');
  if (e instanceof natsErrors.PermissionViolationError) return make('TIDEMARK_ERR_SINK_AUTH', 'the user may not publish to this subject');
  if (e instanceof natsErrors.InvalidSubjectError) return make('TIDEMARK_ERR_SINK_ROUTING', 'invalid subject');
  if (e instanceof natsErrors.InvalidArgumentError && /max_payload/.test(message)) return make('TIDEMARK_ERR_SINK_TOO_LARGE', 'larger than the server max_payload');
  return make('TIDEMARK_ERR_SINK_UNAVAILABLE', 'retrying');
}
