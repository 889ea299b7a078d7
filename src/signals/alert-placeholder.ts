/**
 * Finds the first unreplaced TradingView placeholder (`{{…}}` holding no `}`) in `text`, in linear time.
 *
 * Written out instead of the regular expression `/\{\{[^}]*\}\}/` because that one backtracks: on a
 * string of many `{{` and no `}}` every start position scans to the end (quadratic; a 16 KiB body of
 * `{` took seconds). A match starting at `{{` exists exactly when the first `}` after it is followed by
 * another `}`; if not, no start before that `}` can match either, so the search resumes after it.
 */
export function findPlaceholder(text: string): string | undefined {
  let start = text.indexOf('{{');
  while (start >= 0) {
    const close = text.indexOf('}', start + 2);
    if (close < 0) return undefined;
    if (text.charCodeAt(close + 1) === 125 /* } */) return text.slice(start, close + 2);
    start = text.indexOf('{{', close + 1);
  }
  return undefined;
}
