/**
 * What the engine image (./Dockerfile) is built from, relative to the repository root: its
 * recipe hash covers these paths. A unit test checks that every COPY source of the Dockerfile is
 * among them, so a new COPY cannot leave a stale image cached.
 */
export const ENGINE_BUILD_INPUTS: readonly string[] = [
  'Dockerfile',
  '.dockerignore',
  'package.json',
  'package-lock.json',
  'tsconfig.base.json',
  'tsconfig.json',
  'engine/package.json',
  'engine/tsconfig.json',
  'engine/src',
  'engine/bin',
  'chaos/package.json',
];
