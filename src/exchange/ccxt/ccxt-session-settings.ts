import { AppError } from '../../errors/app-error';
import type { ExchangeTraits } from './exchange-traits';
import type { ReadCall } from './order-lookup';

/**
 * Runs a settings call (leverage, margin mode) as a read; an answer meaning "already set to that" counts as
 * success: ccxt's `no_change`, or a message the exchange's traits list.
 */
export async function alreadySetIsFine(
  read: ReadCall,
  traits: ExchangeTraits,
  call: () => Promise<unknown>,
): Promise<void> {
  try {
    await read(call);
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    const alreadySet =
      (error instanceof AppError && error.code === 'no_change') ||
      traits.alreadySet.some((pattern) => pattern.test(message));
    if (!alreadySet) throw error;
  }
}
