import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { natsSinkConfig } from '../../../../engine/src/config/index.js';
import { connectionOptions } from '../../../../engine/src/sinks/nats/connect.js';

const config = (extra: Record<string, unknown>) => natsSinkConfig.parse({ id: 'n', url: 'nats://a:4222, nats://b:4222', subject: 's', ...extra });

describe('NATS connection options', () => {
  it('maps user/password, token, servers and timeouts', () => {
    const o = connectionOptions(config({ username: 'u', password: 'p', connect_timeout_secs: 3 }));
    expect(o).toMatchObject({ servers: ['nats://a:4222', 'nats://b:4222'], user: 'u', pass: 'p', timeout: 3000, maxReconnectAttempts: -1 });
    expect(connectionOptions(config({ token: 't' })).token).toBe('t');
  });

  it('reads a creds file into an authenticator, and names a missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidemark-creds-'));
    const file = join(dir, 'user.creds');
    writeFileSync(file, '-----BEGIN NATS USER JWT-----\neyJ0eXAiOiJKV1QifQ\n------END NATS USER JWT------\n');
    expect(typeof connectionOptions(config({ credentials_file: file })).authenticator).toBe('function');
    expect(() => connectionOptions(config({ credentials_file: join(dir, 'missing.creds') }))).toThrow(/cannot read credentials_file .*missing\.creds/);
    rmSync(dir, { recursive: true, force: true });
  });
});
