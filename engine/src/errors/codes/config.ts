import type { ErrorDefinition } from '../definition.js';

export const CONFIG_ERRORS = {
  TIDEMARK_ERR_CONFIG_NOT_FOUND: { kind: 'non-retryable', remedy: 'fix-config', help: 'The --config path does not exist or holds no .yaml/.yml file. Point --config at a pipeline file or a directory of them.' },
  TIDEMARK_ERR_CONFIG_PARSE: { kind: 'non-retryable', remedy: 'fix-config', help: 'The file is not valid YAML. The message gives the line and column.' },
  TIDEMARK_ERR_CONFIG_INVALID: { kind: 'non-retryable', remedy: 'fix-config', help: 'A field is missing, unknown or has a bad value. The message names the file, the YAML path and the reason.' },
  TIDEMARK_ERR_CONFIG_DUPLICATE: { kind: 'non-retryable', remedy: 'fix-config', help: 'Two pipelines share metadata.name, or two sinks in one pipeline share an id. Names and sink ids must be unique.' },
  TIDEMARK_ERR_CONFIG_UNSUPPORTED: { kind: 'non-retryable', remedy: 'fix-config', help: 'The spec is valid but asks for a component this build does not provide. Remove it or use a supported type.' },
} as const satisfies Record<string, ErrorDefinition>;
