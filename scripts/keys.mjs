// `npm run keys -- …`: runs src/main/keys.ts with tsx in development, or the built dist/main/keys.js where
// dev dependencies are pruned (Heroku: `heroku run npm run keys -- …`, after `npm run build`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
let tsx;
try {
  tsx = require.resolve('tsx');
} catch {
  tsx = undefined;
}
const built = `${root}dist/main/keys.js`;
const source = `${root}src/main/keys.ts`;
const args = tsx && existsSync(source) ? ['--import', 'tsx', source] : [built];
if (args[0] === built && !existsSync(built)) {
  console.error(
    'keys: dist/main/keys.js is missing; run `npm run build` first (or install dev dependencies).',
  );
  process.exit(1);
}
const result = spawnSync(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
