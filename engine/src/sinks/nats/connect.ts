import { readFileSync } from 'node:fs';
import { connect, credsAuthenticator, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import type { NatsSinkConfig } from '../../config/index.js';
import { TidemarkError } from '../../errors/index.js';
import { classifyNatsError } from './errors.js';

/** Connection options from the sink config: auth by user/password, token or a creds file. */
export function connectionOptions(config: NatsSinkConfig): NodeConnectionOptions {
  const options: NodeConnectionOptions = {
    servers: config.url.split(',').map((s) => s.trim()),
    name: `tidemark-${config.id}`,
    timeout: config.connect_timeout_secs * 1000,
    // Reconnect for ever in the background; publishes fail meanwhile and the lane backs off.
    reconnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
  };
  if (config.username !== undefined) Object.assign(options, { user: config.username, pass: config.password ?? '' });
  if (config.token !== undefined) options.token = config.token;
  if (config.credentials_file !== undefined) {
    const file = config.credentials_file;
    let creds: Uint8Array;
    try {
      creds = readFileSync(file);
    } catch (e) {
      throw new TidemarkError('TIDEMARK_ERR_CONFIG_INVALID', `sink ${config.id}: cannot read credentials_file ${file}: ${(e as Error).message}`, { cause: e, context: { sink: config.id } });
    }
    options.authenticator = credsAuthenticator(creds);
  }
  return options;
}

export async function connectNats(config: NatsSinkConfig): Promise<NatsConnection> {
  const options = connectionOptions(config);
  try {
    return await connect(options);
  } catch (e) {
    throw classifyNatsError(e, config.id, 'connect');
  }
}
