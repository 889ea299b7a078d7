import { AppError } from './app-error';

/** The configuration cannot run. `problems` lists every problem found, not just the first. */
export class ConfigError extends AppError {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`, {
      code: 'invalid_config',
      kind: 'config',
    });
    this.problems = problems;
  }
}
