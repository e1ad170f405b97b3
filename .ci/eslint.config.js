// Lint rules for the whole repository; kept under .ci/ so the top level holds only what the layout names.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // test/static/fixtures break the import rules on purpose (test/static/layers.test.ts checks that they do).
  { ignores: ['**/dist/**', 'node_modules/**', 'coverage/**', 'test/static/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
