import { fileURLToPath } from 'node:url';

// chaos/src/runner and chaos/dist/runner both sit three levels below the repository root.
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** `scenarios/` of the repository: scenario files and `pipelines/` templates. */
export const SCENARIOS_DIR = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
