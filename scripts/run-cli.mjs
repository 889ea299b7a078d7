// Runs a TypeScript entry point of src/ with tsx in development, or its build in dist/ where dev
// dependencies are pruned (Heroku: `heroku run npm run …`, after `npm run build`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** `entry` is relative to src/ without extension, e.g. `cli/alert-template-main`. Exits with its code. */
export function runCli(entry) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const require = createRequire(import.meta.url);
  let tsx;
  try {
    tsx = require.resolve('tsx');
  } catch {
    tsx = undefined;
  }
  const built = `${root}dist/${entry}.js`;
  const source = `${root}src/${entry}.ts`;
  const args = tsx && existsSync(source) ? ['--import', 'tsx', source] : [built];
  if (args[0] === built && !existsSync(built)) {
    console.error(
      `${entry}: ${built} is missing; run \`npm run build\` first (or install dev dependencies).`,
    );
    process.exit(1);
  }
  const result = spawnSync(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
