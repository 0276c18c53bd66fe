import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['tests/**/*.ts', '**/*.test.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // The browser bundle carries no zod: the web build replaces shared/contract (the index) with its
    // wire description (vite.config.ts), and modules that build schemas are imported for types only.
    files: ['src/web/**/*.ts', 'src/web/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'zod', message: 'The web app uses zod types only.', allowTypeImports: true }],
          patterns: [
            {
              group: ['**/shared/contract/*'],
              message: 'Import from shared/contract: the web build serves it without its schemas.',
              allowTypeImports: true,
            },
            {
              group: ['**/shared/realtime', '**/shared/api', '**/shared/accounts'],
              message: 'This module builds zod schemas: the web app imports its types only.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // Web unit tests run in Node, not in the bundle: they hold the forms' rules to the zod schemas.
    files: ['src/web/**/*.test.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  {
    // SQL lives in repositories (and the database layer) only: nothing else may build queries or
    // touch the tables. Row types may be imported anywhere.
    files: ['src/server/**/*.ts'],
    ignores: [
      'src/server/**/*.repository.ts',
      'src/server/db/**',
      'src/server/auth/auth.ts',
      'src/server/**/*.test.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'drizzle-orm', message: 'SQL lives in the area’s *.repository.ts.', allowTypeImports: true }],
          patterns: [
            {
              group: ['**/db/schema.js', '**/db/schema'],
              message: 'Tables are used in the area’s *.repository.ts; import row types with `import type`.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
