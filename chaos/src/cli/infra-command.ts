import { parseArgs } from 'node:util';
import { cachePaths } from '../infra/cache-paths.js';
import { imageChoice, type ImageChoice } from '../infra/images/image-choice.js';
import type { ProviderChoice } from '../infra/select-provider.js';
import { SERVICE_NAMES } from '../infra/types.js';
import { infraDown } from './infra-down.js';
import { infraStatus } from './infra-status.js';
import { infraUp } from './infra-up.js';

export const INFRA_USAGE = `usage: tidemark-chaos infra up|down|status [options]

  up       start the topology, print it, keep it running until Ctrl-C (then tear it down)
  status   probe every service of the running topology, directly and through its proxy
  down     stop the topology started by \`infra up\` (from another terminal)

options:
  --services a,b,...   services to start (default: all of ${SERVICE_NAMES.join(',')})
  --provider p         native | testcontainers | auto (default auto: testcontainers if Docker answers
                       and its images can be had, else native)
  --images set         testcontainers: local | official | auto (default $TIDEMARK_IMAGES, else auto:
                       local when \`tidemark-chaos images build\` made them, else official)
  --state file         state file (default $TIDEMARK_CACHE/infra-state.json)
  --keep-data          keep data dirs and logs after teardown
  --json               status: print JSON instead of a table`;

/** `tidemark-chaos infra up|down|status` */
export async function infraCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      services: { type: 'string' },
      provider: { type: 'string', default: 'auto' },
      images: { type: 'string' },
      state: { type: 'string' },
      'keep-data': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const stateFile = values.state ?? process.env.TIDEMARK_INFRA_STATE ?? cachePaths().stateFile;
  const [action] = positionals;
  if (values.help || action === undefined) {
    console.log(INFRA_USAGE);
    return values.help ? 0 : 2;
  }
  switch (action) {
    case 'up':
      return infraUp({
        stateFile,
        services: values.services ? values.services.split(',').map((s) => s.trim()).filter(Boolean) : [...SERVICE_NAMES],
        provider: values.provider as ProviderChoice,
        ...(values.images ? { images: imageChoice(values.images as ImageChoice) } : {}),
        keepData: values['keep-data'] ?? false,
      });
    case 'status':
      return infraStatus({ stateFile, json: values.json ?? false });
    case 'down':
      return infraDown({ stateFile });
    default:
      console.error(`unknown infra action "${action}"\n\n${INFRA_USAGE}`);
      return 2;
  }
}
