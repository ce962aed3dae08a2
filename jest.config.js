/**
 * Jest (ESM) projects: unit specs next to sources, e2e/integration specs under test/.
 * Run through `npm test` (node --experimental-vm-modules), as Nest 12's ESM template does.
 * @type {import('jest').Config}
 */
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
  moduleNameMapper: {
    '^nestjs-celery-result-backend$':
      '<rootDir>/libs/result-backend/src/index.ts',
    '^nestjs-celery-result-backend/health$':
      '<rootDir>/libs/result-backend/src/health/index.ts',
    '^nestjs-celery-result-backend/codec$':
      '<rootDir>/libs/result-backend/src/codec.ts',
    '^nestjs-celery-result-backend/config$':
      '<rootDir>/libs/result-backend/src/configuration.ts',
    '^nestjs-celery-result-backend/http$':
      '<rootDir>/libs/result-backend/src/http/index.ts',
    '^nestjs-celery-result-backend/testing$':
      '<rootDir>/libs/result-backend/src/testing/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, tsconfig: '<rootDir>/tsconfig.json' },
    ],
  },
};

export default {
  // Global option (ignored inside projects): integration suites start real servers on 2 cores.
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
  ],
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
};
