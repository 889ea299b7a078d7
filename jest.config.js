/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Test support installs its network guard once per process, on shared prototypes; no per-file cleanup.
  testEnvironmentOptions: { globalsCleanup: 'off' },
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // ccxt's CommonJS bundle pulls a few ESM-only helpers; let swc turn them into CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(@noble|@scure|cockatiel)/)'],
  setupFiles: ['<rootDir>/test/support/jest-setup.ts'],
  collectCoverageFrom: ['src/**/*.ts', '!src/main/instrument.ts'],
  coverageReporters: ['text-summary', 'lcov'],
  // A directory path (not a glob) sums up the files under it; a glob would hold each file to the figure.
  coverageThreshold: {
    './src/execution/': { lines: 95, branches: 90 },
    './src/exchange/': { lines: 95, branches: 90 },
  },
  testTimeout: 20000,
  maxWorkers: 2,
  // Jest ends a worker by letting its event loop drain and kills it after this long, with a warning. Tests
  // that stop a Redis under its clients leave ioredis timers of up to 2 s and reconnection attempts that
  // end a few seconds later (test/integration/api/readiness.test.ts, last in a worker, needed 3-5 s). 10 s
  // lets such a worker finish; a handle that never ends is still killed and reported.
  workerGracefulExitTimeout: 10_000,
};
