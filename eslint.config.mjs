// Lint: Next's own rules (core web vitals, React hooks, typescript-eslint) plus the house
// rules of ARCHITECTURE.md as import restrictions, so a wrong import fails CI instead of a
// review: pages and components never touch tables or a domain's inner files, the UI kit
// imports nothing of ours, lib/ never reaches up into app/ or components/, one domain
// reaches another only through its index, and lib/ has no import cycles.
import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const tests = ['**/*.test.ts', '**/*.test.tsx', 'test/**', 'e2e/**', 'scripts/**'];

const noTables = [
  {
    group: ['@/db/schema', '@/db/schema/*', 'drizzle-orm', 'drizzle-orm/*', 'postgres'],
    message: 'Pages and components read and write through a domain module in lib/, never tables (ARCHITECTURE.md).',
  },
];
const onlyDomainIndex = {
  // A domain's public face is its index.ts (and, for code the browser runs, its client.ts).
  group: ['@/lib/*/*', '!@/lib/*/client'],
  message: "Import a domain through its index (`@/lib/orders`), not one of its files: the index is the domain's public face.",
};

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['app/**', 'components/**', 'proxy.ts'],
    ignores: tests,
    rules: { 'no-restricted-imports': ['error', { patterns: [...noTables, onlyDomainIndex] }] },
  },
  {
    files: ['components/ui/**'],
    ignores: tests,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/*', '!@/lib', '@/lib/*', '!@/lib/utils', '!@/components', '@/components/*', '!@/components/ui', '../*'],
              message: 'The UI kit imports nothing of ours but lib/utils and itself.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['lib/**'],
    ignores: tests,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/app', '@/app/*', '@/components', '@/components/*'],
              message: 'lib/ never imports app/ or components/: imports point down (app → lib → db).',
            },
            { ...onlyDomainIndex, message: 'Within a domain import its files relatively; another domain only through its index (`@/lib/orders`).' },
          ],
        },
      ],
      'import/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['db/**'],
    ignores: tests,
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@/*', '!@/db', '!@/lib', '@/lib/*', '!@/lib/config'], message: 'db/ knows only its schema and the configuration.' }] },
      ],
    },
  },
  globalIgnores(['.next/**', '.data/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'coverage/**', 'next-env.d.ts', 'db/migrations/**']),
]);
