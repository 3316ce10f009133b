import { createServer, request, type Server } from 'node:http';

/**
 * A tiny real HTTP front that demands credentials and forwards to the registry: Apicurio 2.4
 * enables auth only through an OIDC server (Keycloak), which is not available here, so the
 * tests put this in front of it to check that the engine sends basic and bearer credentials.
 */
export async function authFront(upstream: { host: string; port: number }, accept: (authorization: string | undefined) => boolean): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
    if (!accept(req.headers.authorization)) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error_code: 40101, message: 'Unauthorized' }));
      return;
    }
    const forward = request({ host: upstream.host, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: `${upstream.host}:${upstream.port}` } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
