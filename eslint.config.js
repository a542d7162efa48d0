// Lint for the whole workspace: typescript-eslint's recommended rules plus a few project habits.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', 'data/**', '**/testdata/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', fetch: 'readonly', performance: 'readonly', queueMicrotask: 'readonly', structuredClone: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use an `as const` object instead of an enum.' }],
    },
  },
  {
    // The browser bundle: DOM globals instead of Node's.
    files: ['apps/web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', localStorage: 'readonly', navigator: 'readonly', matchMedia: 'readonly', getComputedStyle: 'readonly', ResizeObserver: 'readonly', HTMLElement: 'readonly', HTMLDivElement: 'readonly', MouseEvent: 'readonly', Event: 'readonly', Node: 'readonly', URLSearchParams: 'readonly', requestAnimationFrame: 'readonly', Headers: 'readonly', btoa: 'readonly' } },
  },
  {
    files: ['packages/template/src/**/*.ts'],
    ignores: ['packages/template/src/node/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*'], message: 'packages/template must stay free of Node-only imports outside src/node: the UI may use it.' }] }],
    },
  },
  {
    files: ['packages/model/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*'], message: 'packages/model must stay free of Node-only imports: the UI uses it.' }] }],
    },
  },
);
