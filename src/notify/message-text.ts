import { type TradehookEvent } from '../events/event-types';

const ICONS: Record<string, string> = {
  'signal.queued': '📥',
  'signal.filled': '✅',
  'signal.placed': '📌',
  'signal.done': '☑️',
  'signal.canceled': '🚫',
  'signal.rejected': '⛔',
  'signal.failed': '❌',
  'signal.expired': '⌛',
  'order.state_unknown': '❓',
  'account.paused': '⏸️',
  'account.resumed': '▶️',
  'account.breaker_opened': '🔌',
  'account.breaker_closed': '🔁',
  'subscription.disabled': '🔕',
  ping: '🏓',
};

const field = (data: Record<string, unknown>, name: string): unknown => data[name];
const str = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

/**
 * The one-message summary a human reads in Discord, Slack or Telegram: what happened, then symbol, side,
 * size, average price, slippage, status and reason when the event has them. Plain text, no markup: a
 * symbol or a reason never breaks the chat app's formatting.
 */
export function messageText(event: TradehookEvent): string {
  const data = event.data;
  const lines = [`${ICONS[event.type] ?? '•'} tradehook ${event.type}`];
  const account = str(field(data, 'account'));
  const symbol = str(field(data, 'symbol'));
  const side = str(field(data, 'side')) ?? str(field(data, 'action'));
  const filled = field(data, 'filled') as { amount?: unknown; average?: unknown } | null | undefined;
  const size = str(filled?.amount);
  const average = str(filled?.average);
  const slippage = str(field(data, 'slippageBps'));
  const status = str(field(data, 'status'));
  const error = field(data, 'error') as { code?: unknown; message?: unknown } | string | null | undefined;
  const reason =
    typeof error === 'string'
      ? error
      : (str(error?.message) ?? str(field(data, 'reason')) ?? str(error?.code));
  if (symbol)
    lines.push(
      `${symbol}${side ? ` ${side}` : ''}${size ? ` ${size}` : ''}${average ? ` @ ${average}` : ''}`,
    );
  if (slippage) lines.push(`slippage: ${slippage} bps`);
  if (status) lines.push(`status: ${status}`);
  if (account) lines.push(`account: ${account}`);
  if (reason) lines.push(`reason: ${reason}`);
  if (str(field(data, 'id'))) lines.push(`id: ${String(field(data, 'id'))}`);
  return lines.join('\n');
}
