import { describe, expect, it } from 'vitest';
import { address, kafkaBrokers, mysqlOptions, natsServers, pgOptions, redisOptions, type ServiceInfo } from '../../../chaos/src/infra/index.js';

const mysql: ServiceInfo = {
  name: 'mysql', kind: 'mysql', direct: { host: '127.0.0.1', port: 1001 }, proxied: { host: '127.0.0.1', port: 2001 },
  credentials: { user: 'root', password: '', database: 'tidemark' }, cdcCredentials: { user: 'cdc', password: 'cdcpw', database: 'tidemark' },
};
const kafka: ServiceInfo = { name: 'kafka', kind: 'kafka', direct: { host: '127.0.0.1', port: 1002 }, proxied: { host: '127.0.0.1', port: 2002 } };

describe('connection helpers', () => {
  it('default to the proxy, the path the engine under test takes', () => {
    expect(address(mysql)).toBe('127.0.0.1:2001');
    expect(kafkaBrokers(kafka)).toEqual(['127.0.0.1:2002']);
    expect(redisOptions(kafka)).toEqual({ host: '127.0.0.1', port: 2002 });
    expect(natsServers(kafka, 'direct')).toBe('127.0.0.1:1002');
  });

  it('give database options for admin or the CDC user', () => {
    expect(mysqlOptions(mysql, 'direct')).toEqual({ host: '127.0.0.1', port: 1001, user: 'root', password: '', database: 'tidemark' });
    expect(mysqlOptions(mysql, 'proxy', 'cdc')).toMatchObject({ port: 2001, user: 'cdc', password: 'cdcpw' });
    expect(() => pgOptions(kafka)).toThrow(/kafka has no admin credentials/);
  });
});
