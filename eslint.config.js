// ESLint: typescript-eslint's type-aware recommended rules over the TypeScript (they read the
// project's tsconfig), and eslint-plugin-lit's checks of Lit templates in the element and the console.
import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'widget/dist/**',
      'node_modules/**',
      'test-results/**',
      'data/**',
      'demo/host-site/demo-page.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {parserOptions: {projectService: true, tsconfigRootDir: import.meta.dirname}},
  },
  {
    files: ['widget/**/*.ts', 'admin/**/*.ts'],
    ...lit.configs['flat/recommended'],
  },
  {
    rules: {
      // Koa middleware, routes and store methods are async by contract, awaiting or not.
      '@typescript-eslint/require-await': 'off',
      // Koa's app.callback() and async listeners are handed to Node's callbacks on purpose: Koa
      // handles their rejections. Conditions and spreads of promises are still checked.
      '@typescript-eslint/no-misused-promises': ['error', {checksVoidReturn: {arguments: false}}],
      // It reads Koa's context types differently from tsc (route params, koa-session's augmentation)
      // and calls needed assertions unnecessary; `tsc --noEmit` is the judge of types here.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Unused arguments and catch bindings named with a leading _ say "deliberately unused".
      '@typescript-eslint/no-unused-vars': [
        'error',
        {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'},
      ],
    },
  },
  {
    // node:test's describe() and it() return promises the runner itself awaits.
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read untyped JSON (answers, logs, token claims) and assert on it: the unsafe-any rules
    // would only add casts that prove nothing. The source keeps them.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Lit calls a template's listeners with the element as `this`: `@click=${this.start}` is bound.
    files: ['widget/**/*.ts', 'admin/**/*.ts', 'test/widget/**/*.ts'],
    rules: {'@typescript-eslint/unbound-method': 'off'},
  },
  {
    // chai's assertions are typed as thenables by @open-wc/testing's plugins, and `.to.exist` is an
    // assertion written as an expression.
    files: ['test/widget/**/*.ts'],
    rules: {'@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-unused-expressions': 'off'},
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['bin/**/*.js', '*.js', '*.mjs'],
    languageOptions: {globals: {process: 'readonly', console: 'readonly', URL: 'readonly'}},
  },
);
