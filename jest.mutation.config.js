const base = require('./jest.config');

/**
 * The suite Stryker runs against each mutant: every test that calls the mutated modules in the jest process. Tests
 * that run the code elsewhere (deployable bundles in worker threads, producers in child processes, synthesized
 * templates) cannot see a mutant, so they would only add time.
 */
/**
 * MUTATION_TESTS (comma-separated globs under the repository) narrows the suite to a module's own tests, for a module
 * that slow tests also cover: the score then says what those tests alone catch.
 */
const only = process.env.MUTATION_TESTS?.split(',').map((glob) => `<rootDir>/${glob.trim()}`);

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  ...(only && { testMatch: only }),
  // Type errors are the TypeScript checker's to find; each mutant run only needs the code transpiled.
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/test/infra/',
    '<rootDir>/test/local/local-pipeline.test.ts',
    '<rootDir>/test/lambdas/bundles.test.ts',
    '<rootDir>/test/producer/drain.test.ts',
    '<rootDir>/test/producer/browser-sdk.test.ts',
    '<rootDir>/test/producer/memory.test.ts',
  ],
};
