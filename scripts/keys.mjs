// `npm run keys -- …`: runs src/main/keys.ts with tsx in development, or the built dist/main/keys.js where
// dev dependencies are pruned (Heroku: `heroku run npm run keys -- …`, after `npm run build`).
import { runCli } from './run-cli.mjs';

runCli('main/keys');
