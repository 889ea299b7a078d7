import { AppError } from './app-error';

/** The process cannot start for a reason outside its configuration's values (e.g. its port is taken). */
export class StartupError extends AppError {
  constructor(message: string, options: { code: string; cause?: unknown }) {
    super(message, { code: options.code, kind: 'config', cause: options.cause });
  }
}
