/**
 * The import rules of ARCHITECTURE.md, enforced in CI:
 * contracts ← storage/artifacts/config/observability/scheduling ← contexts ← runtime ← http ← cli.
 */
const SRC = '^packages/platform/src'
const CONTEXTS = 'data|training|tracking|registry|serving|monitoring|orchestration|governance'
const TESTS = '\\.test\\.ts$|/test-support/'

module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'contracts-are-pure',
      comment: 'contracts hold schemas and error codes only: no I/O, no other package',
      severity: 'error',
      from: { path: '^packages/contracts/src', pathNot: TESTS },
      to: { pathNot: ['^packages/contracts/src', '^node_modules/zod/'] },
    },
    {
      name: 'sdk-depends-on-contracts-only',
      severity: 'error',
      from: { path: '^packages/sdk/src', pathNot: TESTS },
      to: { path: '^packages/platform/' },
    },
    {
      name: 'foundation-below-contexts',
      comment: 'config, storage, artifacts and observability know no context, runtime, http or cli',
      severity: 'error',
      from: {
        path: `${SRC}/(config|storage|artifacts|observability|charts|scheduling)/`,
        pathNot: TESTS,
      },
      to: { path: `${SRC}/(${CONTEXTS}|runtime|http|cli|bench)/` },
    },
    {
      name: 'contexts-below-runtime',
      severity: 'error',
      from: { path: `${SRC}/(${CONTEXTS})/`, pathNot: TESTS },
      to: { path: `${SRC}/(runtime|http|cli|bench)/` },
    },
    {
      name: 'context-through-its-index',
      comment: 'a context reaches another only through its public surface (index.ts)',
      severity: 'error',
      from: { path: `${SRC}/(${CONTEXTS})/`, pathNot: TESTS },
      to: {
        path: `${SRC}/(${CONTEXTS})/`,
        pathNot: [`${SRC}/$1/`, `${SRC}/(${CONTEXTS})/index\\.ts$`],
      },
    },
    {
      name: 'runtime-below-http',
      severity: 'error',
      from: { path: `${SRC}/runtime/`, pathNot: TESTS },
      to: { path: `${SRC}/(http|cli|bench)/` },
    },
    {
      name: 'http-below-cli',
      severity: 'error',
      from: { path: `${SRC}/http/`, pathNot: TESTS },
      to: { path: `${SRC}/(cli|bench)/` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.test.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'default'],
    },
  },
}
