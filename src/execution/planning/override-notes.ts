import { type Alert } from '../../signals/alert';
import { type SignalIntent } from './signal-intent';

/**
 * Notes, in a trader's words, for every field of the alert that another field overrode, so that the record
 * explains why a field it carries had no effect. Pure.
 */
export function overrideNotes(alert: Alert, intent: SignalIntent): string[] {
  const notes: string[] = [];
  const quantity = alert.quantity;
  if (intent.kind === 'cancel') {
    const ignored = (
      ['quantity', 'positionSize', 'sentiment', 'takeProfit', 'stopLoss', 'leverage'] as const
    ).filter((field) => alert[field] !== undefined);
    if (ignored.length > 0) {
      notes.push(`cancel only cancels open orders: ${ignored.join(', ')} not used`);
    }
    return notes;
  }
  if (alert.positionSize !== undefined && quantity !== undefined) {
    notes.push(
      `positionSize ${alert.positionSize} sets the target position, so only the difference is traded: quantity ${quantity} not used`,
    );
  } else if (intent.kind === 'close' && !intent.partial && quantity !== undefined) {
    notes.push(`sentiment flat closes the whole position: quantity ${quantity} not used`);
  }
  if (alert.orderType === 'market' && alert.timeInForce !== undefined) {
    notes.push(`timeInForce ${alert.timeInForce} not used: a market order takes what the book has`);
  }
  return notes;
}
