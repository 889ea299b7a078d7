// `npm run alert-template -- --mode token --recipe strategy --account main`: see src/cli/alert-template-cli.ts.
import { runCli } from './run-cli.mjs';

runCli('cli/alert-template-main');
