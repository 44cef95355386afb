// Lint rules: type-aware TypeScript checks everywhere, and the pure-core layering rule
// (README.md "Layout and docs", and the README.md of each core folder): src/api, src/domain,
// src/specs and src/reconcile do no I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const coreFolders = ['src/api/**/*.ts', 'src/domain/**/*.ts', 'src/specs/**/*.ts', 'src/reconcile/**/*.ts'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.sandbox/', 'hack/', 'config/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use an `as const` object: enums are not erasable.' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: { complexity: ['error', 12], 'max-depth': ['error', 3], 'max-params': ['error', 4] },
  },
  {
    // Memory (the 100 MiB target): a value import of client-node's root, or of any deep
    // module but these, loads dist/gen/index.js, ≈ 85 MiB of generated models and APIs; an ESM
    // import of node:http loads Node's bundled undici (its namespace reads the lazy WebSocket
    // getters), 4–13 MiB. Type-only imports are erased and fine. test/unit/module-footprint.test.ts
    // checks what really loads.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [
          { name: '@kubernetes/client-node', allowTypeImports: true, message: 'Loads all generated client-node code (≈ 85 MiB): import type only, or a deep module allowed in eslint.config.js.' },
          { name: 'node:http', allowTypeImports: true, message: "Loads Node's bundled undici (4–13 MiB): use process.getBuiltinModule('node:http')." },
          { name: 'http', allowTypeImports: true, message: "Loads Node's bundled undici (4–13 MiB): use process.getBuiltinModule('node:http')." },
          { name: 'typebox', allowTypeImports: true, message: 'TypeBox (≈ 11 MiB) is for the schema files only (spec.ts, status.ts, cluster.ts, schema-helpers.ts); validate with json-schema.ts.' },
        ],
        patterns: [{
          regex: '^@kubernetes/client-node/(?!dist/(exec|types)\\.js$)',
          allowTypeImports: true,
          message: 'Only dist/exec.js and dist/types.js of client-node are small; other modules load its generated code (≈ 85 MiB).',
        }, {
          regex: '^typebox/',
          allowTypeImports: true,
          message: 'TypeBox (≈ 11 MiB) is for the schema files only (spec.ts, status.ts, cluster.ts, schema-helpers.ts); validate with json-schema.ts.',
        }],
      }],
    },
  },
  {
    // The schema sources: TypeBox builds the API here, for the CRD generator and schema tests.
    files: ['src/api/v1/spec.ts', 'src/api/v1/status.ts', 'src/api/v1/cluster.ts', 'src/api/v1/schema-helpers.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  {
    files: coreFolders,
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'net', 'child_process', 'pino', 'prom-client'], message: 'The core does no I/O: move this to the shell.' },
          { group: ['../../runtime/*', '../../kube/*', '../../instance/*', '../../observability/*', '../../cli/*', '../runtime/*', '../kube/*', '../instance/*', '../observability/*', '../cli/*'], message: 'The core never imports the shell.' },
          { group: ['@kubernetes/client-node'], allowTypeImports: true, message: 'The core may use Kubernetes model types only (import type).' },
        ],
      }],
      'no-restricted-syntax': ['error',
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` object: enums are not erasable.' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'The core gets time from the observation.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'The core gets time from the observation.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'The core gets jitter as a parameter.' },
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Only src/main.ts reads the environment.' },
      ],
    },
  },
  {
    files: ['src/api/**/*.ts'],
    rules: {
      'no-restricted-properties': ['error',
        { object: 'Type', property: 'Enum', message: 'Use StringEnum from schema-helpers.ts (structural schema).' },
        { object: 'Type', property: 'Record', message: 'Use StringMap from schema-helpers.ts (structural schema).' },
        { object: 'Type', property: 'Ref', message: 'CRD schemas cannot hold $ref.' },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['it', 'describe', 'test', 'suite', 'before', 'after'] }] }],
    },
  },
);
