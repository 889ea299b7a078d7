/** Times in the browser's own zone; numbers as the exchange reported them (its precision, no float noise). */

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function time(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

/** Up to 10 significant decimals: enough for any market's precision, and 0.1 + 0.2 shows as 0.3. */
export function num(n: number | null | undefined, maxDecimals = 10): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return n.toLocaleString(undefined, { maximumFractionDigits: maxDecimals, useGrouping: true });
}

export function ms(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(2)} s`;
}

export function bps(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : `${n.toFixed(1)} bps`;
}

/** `datetime-local` input value (browser zone) → ISO UTC for the API. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Amounts by currency, e.g. `1.8 USDT, 0.002 BNB` (`0` for none). */
export const amounts = (a: Record<string, number>): string =>
  Object.entries(a)
    .map(([currency, x]) => `${x} ${currency}`)
    .join(', ') || '0';
