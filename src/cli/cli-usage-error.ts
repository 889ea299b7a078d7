/** A mistake in how a CLI was called: printed with its usage, exit code 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}
