import { probeFor } from './probes.js';
import type { ServiceInfo } from './types.js';

export type Health = 'healthy' | 'proxy down' | 'down';

export interface ServiceHealth {
  readonly service: ServiceInfo;
  readonly health: Health;
  readonly detail?: string;
}

/** Probes a service directly and through its proxy with the real client library. */
export async function checkHealth(service: ServiceInfo): Promise<ServiceHealth> {
  const attempt = (via: 'direct' | 'proxied'): Promise<string | undefined> =>
    probeFor(service.kind, service[via], service.credentials).then(
      () => undefined,
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
  const [direct, proxied] = await Promise.all([attempt('direct'), attempt('proxied')]);
  if (direct !== undefined) return { service, health: 'down', detail: direct };
  if (proxied !== undefined) return { service, health: 'proxy down', detail: proxied };
  return { service, health: 'healthy' };
}
