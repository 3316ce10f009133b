import { describe } from 'vitest';
import { createProvider } from '../../../chaos/src/infra/index.js';
import { providerContract } from '../provider-contract.js';

describe('native provider', () => providerContract(() => createProvider('native')));
