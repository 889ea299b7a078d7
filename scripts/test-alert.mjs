// `npm run test-alert -- --url https://<app>/webhook --token …`: see src/cli/test-alert-cli.ts.
import { runCli } from './run-cli.mjs';

runCli('cli/test-alert-main');
