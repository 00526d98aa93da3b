import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

// Layers (STYLE.md): ui → state → worker clients → domain → core/platform; imports go one way.
const upward = {
  group: ['**/ui/*', '**/state/*', '*.svelte'],
  message:
    'Domain and worker code must not import UI or rune state (layers: ui → state → workers → domain → core).',
};
const workers = {
  group: ['**/workers/*', '**/workers'],
  message:
    'Domain code must not import workers/: a worker wires domain code, not the other way round (progress, yielding and error text are in core/).',
};
// Pure folders must not reach side effects either (one adapter per outside system).
const storage = {
  group: ['**/storage/*', '**/storage', 'idb'],
  message: 'Only src/lib/storage talks to IndexedDB; pure code takes a sink.',
};
const PURE = ['data', 'features', 'metrics', 'models', 'vision', 'style'];
// Domain folders with I/O adapters of their own (network, IndexedDB, service worker, GPU).
const ADAPTERS = [
  'experiments',
  'crawl',
  'predict',
  'export',
  'imdb',
  'net',
  'storage',
  'platform',
  'offline',
];
const restrict = (files, patterns, extra = {}) => ({
  files,
  ignores: ['**/*.test.ts', ...(extra.ignores ?? [])],
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

export default ts.config(
  { ignores: ['dist/', 'node_modules/', 'bench/out/', 'test/e2e/screenshots/', 'coverage/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.object.name=/^(it|describe|test)$/][callee.property.name=/^(only|skip)$/]',
          message: 'No focused or skipped tests.',
        },
        {
          // skipIf/runIf are for tests whose data may be absent (see src/test/shared.ts), never a constant.
          selector:
            'CallExpression[callee.object.name=/^(it|describe|test)$/][callee.property.name=/^(skipIf|runIf)$/][arguments.0.type="Literal"]',
          message: 'skipIf/runIf take a condition such as missingShared(...), not a constant.',
        },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        extraFileExtensions: ['.svelte'],
        parser: ts.parser,
        svelteConfig,
      },
    },
  },
  ...PURE.map((dir) => restrict([`src/lib/${dir}/**/*.ts`], [storage, upward, workers])),
  restrict(
    ADAPTERS.map((dir) => `src/lib/${dir}/**/*.ts`),
    [upward, workers],
  ),
  restrict(['src/lib/workers/**/*.ts'], [upward]),
  // core/ is the bottom layer: it imports nothing of ours (packages only).
  restrict(
    ['src/lib/core/**/*.ts'],
    [{ group: ['../**', '$lib/**'], message: 'core/ imports nothing of ours.' }],
  ),
  // state/ sits below ui/.
  restrict(
    ['src/lib/state/**/*.ts'],
    [
      {
        group: ['**/ui/*', '*.svelte'],
        message: 'state/ must not import ui/ (layers: ui → state).',
      },
    ],
  ),
);
