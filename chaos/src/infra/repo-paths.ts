import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (chaos/src/infra and chaos/dist/infra both sit three levels below it). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** docker/: image recipes (images/<dir>/Dockerfile) and the container entry scripts (scripts/). */
export const DOCKER_DIR = join(REPO_ROOT, 'docker');
export const IMAGE_RECIPES_DIR = join(DOCKER_DIR, 'images');
export const CONTAINER_SCRIPTS_DIR = join(DOCKER_DIR, 'scripts');
