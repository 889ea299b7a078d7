import { AppError } from '../errors/app-error';

/** Why a dry run got no answer: no worker is running, or none answered in time. */
export class WorkerUnavailableError extends AppError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'worker_unavailable', kind: 'transient', cause });
  }
}
