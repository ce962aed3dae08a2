/**
 * The library's layers, enforced in `npm run lint` (see docs/architecture.md), bottom to top:
 *   errors/, result-backend.constants.ts, result-backend.messages.ts
 *   protocol/ (pure Celery codec), utils/
 *   config/ (generic URL and setting helpers)
 *   stores/<kind>/ (one backend each) and the store contract (stores/*.interface.ts)
 *   stores/ registry (backends.ts, parse-backend-url, describe-backend)
 *   options/, interfaces/ (option resolution above the registry)
 *   results/, watch/, chord/ (the engine)
 *   result-backend.service.ts (+ .base.ts), .factory.ts, health/, http/, the Nest shell, the entry points.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const LIB = '^libs/result-backend/src/';
const ENGINE = `${LIB}(results|watch|chord)/`;
const SHELL = `${LIB}(result-backend\\.(base|service|factory|providers|module|module-definition|tokens)\\.ts|decorators/|health/|http/)`;
const ENTRIES = `${LIB}(index|codec|configuration)\\.ts$`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, static or dynamic.',
      from: { path: LIB },
      to: { circular: true },
    },
    {
      name: 'errors-are-leaves',
      severity: 'error',
      from: { path: `${LIB}errors/` },
      to: { path: LIB, pathNot: `${LIB}errors/` },
    },
    {
      name: 'protocol-is-pure',
      severity: 'error',
      comment: 'protocol/ is the Celery codec: no I/O, nothing above it.',
      from: { path: `${LIB}protocol/` },
      to: {
        pathNot: [`${LIB}(protocol|errors)/`],
      },
    },
    {
      name: 'utils-stay-low',
      severity: 'error',
      from: { path: `${LIB}utils/` },
      to: {
        path: LIB,
        pathNot: [
          `${LIB}(utils|errors)/`,
          `${LIB}result-backend\\.(constants|messages)\\.ts$`,
        ],
      },
    },
    {
      name: 'config-is-generic',
      severity: 'error',
      comment:
        'config/ knows no backend: per-backend parsing lives in stores/<kind>/.',
      from: { path: `${LIB}config/` },
      to: {
        path: LIB,
        pathNot: [
          `${LIB}(config|errors|utils|protocol)/`,
          `${LIB}result-backend\\.(constants|messages)\\.ts$`,
        ],
      },
    },
    {
      name: 'store-folders-are-independent',
      severity: 'error',
      comment:
        'A store folder reaches only its own folder and the store contract, never another store or the registry.',
      from: { path: `${LIB}stores/([^/]+)/` },
      to: {
        path: `${LIB}stores/`,
        pathNot: [`${LIB}stores/$1/`, `${LIB}stores/[^/]+\\.interface\\.ts$`],
      },
    },
    {
      name: 'stores-do-not-reach-up',
      severity: 'error',
      from: { path: `${LIB}stores/` },
      to: {
        path: [
          `${LIB}(options|interfaces|health|decorators)/`,
          ENGINE,
          SHELL,
          ENTRIES,
        ],
      },
    },
    {
      name: 'options-below-engine',
      severity: 'error',
      from: { path: `${LIB}(options|interfaces)/` },
      to: { path: [ENGINE, SHELL, ENTRIES] },
    },
    {
      name: 'engine-below-shell',
      severity: 'error',
      from: { path: ENGINE },
      to: { path: [SHELL, ENTRIES] },
    },
    {
      name: 'entries-are-not-imported-inside',
      severity: 'error',
      from: { path: LIB, pathNot: ENTRIES },
      to: { path: ENTRIES },
    },
    {
      name: 'library-stands-alone',
      severity: 'error',
      from: { path: LIB },
      to: { path: '^(src|test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js'],
    },
  },
};
