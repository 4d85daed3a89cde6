// ESLint: the recommended JavaScript and TypeScript rules, plus the import boundaries of
// ARCHITECTURE.md (eslint-plugin-boundaries): what each folder may import.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/**
 * Training stages in import order: a stage imports core and the stages listed before it,
 * never one after it (data flows data → model → train → card → export/report; the composers
 * train/ (runTraining), import/ and cli/ come last).
 */
const TRAINING_STAGES = ['backend', 'data', 'dicom-write', 'synth', 'model', 'eval', 'card', 'export', 'report', 'site', 'train', 'import', 'cli'];

const stagePolicies = TRAINING_STAGES.map((stage, i) => ({
  from: { element: { type: 'training', captured: { stage } } },
  allow: { to: { element: { type: 'training', captured: TRAINING_STAGES.slice(0, i + 1).map((s) => ({ stage: s })) } } },
}));

const browserGlobals = { window: 'readonly', document: 'readonly', console: 'readonly' };
const nodeGlobals = { process: 'readonly', console: 'readonly', URL: 'readonly' };

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'models/**', 'datasets/**', 'test/fixtures/external/**', 'test-results/**', 'playwright-report/**', 'bench/**/out/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      // `_name` marks a value left unused on purpose (destructuring to omit a key).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  { files: ['training/src/report/report-client.js'], languageOptions: { globals: browserGlobals, sourceType: 'script' } },
  { files: ['**/*.mjs'], languageOptions: { globals: nodeGlobals } },
  {
    files: ['core/**', 'training/**', 'web/**', 'bench/**', 'test/**', '*.ts', '*.js'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs'] } },
      'boundaries/include': ['core/**', 'training/**', 'web/**', 'bench/**', 'test/**'],
      // web/src/main.tsx (the entry) composes like app/. It is a file category, not an element: a
      // `web/src` element would also claim every feature file as app/ (and let features cross).
      'boundaries/files': [
        { category: 'unit-test', pattern: '**/*.test.{ts,tsx}' },
        { category: 'web-entry', pattern: 'web/src/*.{ts,tsx}' },
      ],
      'boundaries/elements': [
        { type: 'core', pattern: 'core' },
        { type: 'training', pattern: 'training/src/*', capture: ['stage'] },
        { type: 'training-bin', pattern: 'training/bin' },
        { type: 'web-app', pattern: 'web/src/app' },
        { type: 'web-feature', pattern: 'web/src/features/*', capture: ['feature'] },
        { type: 'web-shared', pattern: 'web/src/shared' },
        { type: 'web-sw', pattern: 'web/src/sw' },
        { type: 'tests', pattern: 'test' },
        { type: 'bench', pattern: 'bench' },
      ],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: [
            // core is the shared imaging core: it imports only itself (never training, web or tests;
            // its own *.test.ts files may use the test helpers in test/, see below).
            { from: { element: { type: 'core' } }, allow: { to: { element: { type: 'core' } } } },
            ...stagePolicies,
            { from: { element: { type: 'training' } }, allow: { to: { element: { type: 'core' } } } },
            { from: { element: { type: 'training-bin' } }, allow: { to: { element: { types: { anyOf: ['training', 'core'] } } } } },
            // web never imports training; a feature imports shared/ and itself; app/ composes features.
            { from: { element: { type: 'web-feature' } }, allow: { to: { element: { type: 'web-feature', captured: { feature: '{{ from.element.captured.feature }}' } } } } },
            { from: { element: { types: { anyOf: ['web-app', 'web-feature', 'web-shared', 'web-sw'] } } }, allow: { to: { element: { types: { anyOf: ['web-shared', 'core'] } } } } },
            { from: { element: { type: 'web-app' } }, allow: { to: { element: { types: { anyOf: ['web-app', 'web-feature'] } } } } },
            { from: { file: { categories: 'web-entry' } }, allow: { to: { element: { types: { anyOf: ['web-app', 'web-feature', 'web-shared', 'core'] } } } } },
            // Unit tests beside the code may use the shared test helpers (test/).
            { from: { file: { categories: 'unit-test' } }, allow: { to: { element: { type: 'tests' } } } },
            // Tests and benchmarks exercise everything.
            { from: { element: { types: { anyOf: ['tests', 'bench'] } } }, allow: { to: { element: { types: { anyOf: ['core', 'training', 'training-bin', 'web-app', 'web-feature', 'web-shared', 'web-sw', 'tests', 'bench'] } } } } },
          ],
        },
      ],
    },
  },
);
