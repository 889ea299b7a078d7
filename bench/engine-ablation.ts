/**
 * What-if runs of the engine benchmark, applied through the configuration by engine-bench.ts (earlier
 * switches became the real code). `BENCH_ENGINE_ABLATE=log-warn npm run bench`.
 */
export const ENGINE_ABLATIONS = {
  'log-warn': 'LOG_LEVEL=warn: the info lines (4 per signal) are not formatted',
} as const;

export type EngineAblation = keyof typeof ENGINE_ABLATIONS;

export function parseEngineAblations(raw: string | undefined): EngineAblation[] {
  const names = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!(name in ENGINE_ABLATIONS)) {
      throw new Error(
        `unknown engine ablation "${name}" (known: ${Object.keys(ENGINE_ABLATIONS).join(', ')})`,
      );
    }
  }
  return names as EngineAblation[];
}
