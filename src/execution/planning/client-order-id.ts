/**
 * The client order id of a signal's leg: `th` + the signal id's 24 hex digits + the leg, letters and
 * digits only, at most 32 characters — within Binance's, Bybit's and OKX's rules. Deterministic, so a
 * re-run of the same signal asks the exchange for the same order instead of placing another.
 */
export function clientOrderId(signalId: string, leg: string): string {
  const core = signalId.replace(/^sig_/, '').replace(/[^A-Za-z0-9]/g, '');
  const legPart = leg.replace(/[^A-Za-z0-9]/g, '');
  const id = `th${core}${legPart}`;
  if (id.length > 32) throw new Error(`client order id too long for leg "${leg}": ${id.length} > 32`);
  return id;
}
