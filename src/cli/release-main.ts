/** Heroku's release phase (`Procfile`): see {@link runReleaseCheck}. */
import { runReleaseCheck } from './release-check';

runReleaseCheck(process.env, (line) => process.stdout.write(`${line}\n`)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`release: ${error.message}\n`);
    process.exit(1);
  },
);
