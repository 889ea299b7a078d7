/**
 * Layer rules of tradehook, checked in CI (`npm run deps`). See docs/architecture.md "Layers".
 * Type-only imports count too (tsPreCompilationDeps): a type that drags a module into a layer that must
 * not know it is how such a dependency starts.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const FRAMEWORKS = '^node_modules/(express|bullmq|ioredis|ccxt|cockatiel|winston|@sentry)(/|$)';
const ADAPTERS =
  '^src/(http|queue|history|redis|intake|api|keys|audit|notify|main|exchange/(ccxt|paper|policies)|exchange/session-registry)';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make initialisation order fragile and layers meaningless.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'signals-are-pure',
      severity: 'error',
      comment: 'The alert schema, records and shared types import no framework, client or adapter.',
      from: { path: '^src/signals/' },
      to: { path: [FRAMEWORKS, ADAPTERS, '^src/execution/'] },
    },
    {
      name: 'planning-is-pure',
      severity: 'error',
      comment: 'Order planning is a pure function of (signal, market, snapshot).',
      from: { path: '^src/execution/planning/' },
      to: { path: [FRAMEWORKS, ADAPTERS] },
    },
    {
      name: 'web-never-loads-exchange-code',
      severity: 'error',
      comment:
        'The web process never loads ccxt, cockatiel or the execution engine (types included): it is ' +
        'small, starts fast, and holds no exchange secret. It talks to workers through Redis only.',
      from: { path: '^src/main/web\\.ts$' },
      to: {
        path: [
          '^node_modules/(ccxt|cockatiel)(/|$)',
          '^src/execution/',
          '^src/exchange/(ccxt|paper|policies)/',
        ],
        reachable: true,
      },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
