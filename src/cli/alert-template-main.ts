/** `npm run alert-template -- …` (scripts/alert-template.mjs): prints a TradingView alert to paste. */
import { existsSync } from 'node:fs';
import { ALERT_TEMPLATE_USAGE, runAlertTemplateCli } from './alert-template-cli';

const argv = process.argv.slice(2);
if (argv.length === 0 || argv.includes('--help')) {
  process.stdout.write(`${ALERT_TEMPLATE_USAGE}\n`);
  process.exit(argv.length === 0 ? 2 : 0);
}
if (existsSync('.env')) process.loadEnvFile('.env');
try {
  process.stdout.write(`${runAlertTemplateCli(argv, process.env)}\n`);
} catch (error) {
  process.stderr.write(`alert-template: ${(error as Error).message}\n\n${ALERT_TEMPLATE_USAGE}\n`);
  process.exit(2);
}
