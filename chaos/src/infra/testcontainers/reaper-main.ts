/**
 * The reaper process (see reaper.ts): waits until its owner's pipe closes, then removes the
 * session's containers and network. Usage: node reaper-main.js <session-id>
 */
const sessionId = process.argv[2];
if (!sessionId) {
  process.stderr.write('usage: reaper-main.js <session-id>\n');
  process.exit(2);
}

process.stdin.resume();
process.stdin.on('close', () => void reap(sessionId));
process.stdin.on('end', () => void reap(sessionId));

let reaping = false;

async function reap(session: string): Promise<void> {
  if (reaping) return;
  reaping = true;
  // Loaded only now: while it waits, the reaper stays a bare Node process.
  const [{ dockerRuntime }, { removeSession }] = await Promise.all([import('./docker-runtime.js'), import('./sessions.js')]);
  try {
    const runtime = await dockerRuntime();
    await removeSession(runtime.container.dockerode, session);
    process.exit(0);
  } catch {
    // The next bring-up or `infra down` sweeps what is left.
    process.exit(1);
  }
}
