import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

// Pure folders must not reach side effects (STYLE.md: imports go one way, one adapter per outside system).
const PURE = ['data', 'features', 'metrics', 'models', 'vision', 'style'];
const sideEffectImports = [
  {
    group: ['**/storage/*', '**/storage', 'idb'],
    message: 'Only src/lib/storage talks to IndexedDB; pure code takes a sink.',
  },
  {
    group: ['**/ui/*', '**/state/*', '*.svelte'],
    message: 'Pure logic must not import UI or state.',
  },
];

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
  ...PURE.map((dir) => ({
    files: [`src/lib/${dir}/**/*.ts`],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: sideEffectImports }] },
  })),
);
