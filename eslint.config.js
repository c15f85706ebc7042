// Lint is part of `npm test`. Workflow code must stay deterministic: no Node built-ins, no
// I/O libraries, no floating promises, no Math.random or timers outside the workflow API.
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises', 'http', 'http2',
  'https', 'module', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers', 'tls', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];

/**
 * Code that runs inside the workflow sandbox, by folder (no hand-kept list): the ground floor
 * (model/), the language core (dsl/ without its Node-side loader, dsl/load/), the interpreter, and
 * the benchmark's hand-written workflows (bench/workflows/).
 * .dependency-cruiser.cjs keeps everything inside this wall from importing anything outside it.
 */
const workflowCode = ['model/**/*.ts', 'dsl/**/*.ts', 'workflows/**/*.ts', 'bench/workflows/**/*.ts'];
const outsideTheWall = ['dsl/load/**'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', '.data/**', 'model/generated/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-implied-eval': 'error',
    },
  },
  {
    files: workflowCode,
    ignores: outsideTheWall,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...nodeBuiltins.map((m) => `node:${m}`)].map((name) => ({
            name,
            message: 'Workflow code must be deterministic: no Node built-ins (do I/O in an activity).',
          })),
          patterns: [
            { group: ['node:*'], message: 'Workflow code must not use Node built-ins.' },
            { group: ['pg', 'yaml', 'ajv', 'ajv/*', 'ajv-formats', '@temporalio/client', '@temporalio/worker', '@temporalio/activity', '**/worker/*', '**/client/*', '**/activities/*', '**/dsl/load/*', './load/*'], message: 'Only pure modules may be imported by workflow code.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use uuid4() from @temporalio/workflow; Math.random is replaced by a seeded one but must not be relied on.' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() in a loop.' },
        { name: 'fetch', message: 'Do I/O in an activity.' },
        { name: 'process', message: 'Workflow code has no process.' },
        { name: 'require', message: 'Use imports.' },
      ],
    },
  },
);
