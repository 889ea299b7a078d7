/** `npm run test-alert -- …` (scripts/test-alert.mjs): fires one alert and follows it. */
import { CliUsageError } from './cli-usage-error';
import { TEST_ALERT_USAGE, runTestAlertCli } from './test-alert-cli';

const argv = process.argv.slice(2);
if (argv.length === 0 || argv.includes('--help')) {
  process.stdout.write(`${TEST_ALERT_USAGE}\n`);
  process.exit(argv.length === 0 ? 2 : 0);
}
runTestAlertCli(argv, { fetch, out: (line) => process.stdout.write(`${line}\n`) }).then(
  (code) => process.exit(code),
  (error: Error) => {
    if (error instanceof CliUsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      process.stderr.write(`test-alert: ${error.message}\n\n${TEST_ALERT_USAGE}\n`);
    else process.stderr.write(`test-alert: ${error.message}\n`);
    process.exit(error instanceof CliUsageError ? 2 : 1);
  },
);
