// ESLint (flat config): typescript-eslint's recommended rules plus the type-aware rules that catch
// real bugs here - a promise nobody awaits (an error that vanishes, a step that races the next),
// a promise where a callback must return void, a switch that misses a case of a union.
// Run by `npm test` (scripts/test-all.sh) and `npm run lint`; --cache keeps a re-run to the files changed.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      // One program for the whole repo (the root tsconfig includes every folder linted): faster than a
      // project service that would build one per nested tsconfig under test/.
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // node:test's describe/test/it return a promise the runner itself tracks (top level): not floating.
      // A sub-test (t.test) is not on this list: it must be awaited or it is cancelled. checkThenables: VS Code's
      // API returns Thenable (not Promise): showInformationMessage(...) left alone is just as floating.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { checkThenables: true, allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // The l10n bundle is what @vscode/l10n-dev finds: the literal first argument of l10n.t(…) calls.
      // A variable, a template or an alias of l10n.t is invisible to it, so never translated.
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='t'][callee.object.name='l10n']:not([arguments.0.type='Literal'])",
          message: 'l10n.t takes a string literal (the l10n bundle lists only literals): write the text at the call.',
        },
        {
          selector: "CallExpression[callee.property.name='t'][callee.object.property.name='l10n']:not([arguments.0.type='Literal'])",
          message: 'vscode.l10n.t takes a string literal (the l10n bundle lists only literals): write the text at the call.',
        },
        {
          selector: "VariableDeclarator[id.type='ObjectPattern'][init.property.name='l10n']",
          message: 'no alias of vscode.l10n.t: @vscode/l10n-dev finds only calls written l10n.t(…) / vscode.l10n.t(…).',
        },
        {
          selector: "VariableDeclarator[init.property.name='t'][init.object.property.name='l10n']",
          message: 'no alias of vscode.l10n.t: @vscode/l10n-dev finds only calls written l10n.t(…) / vscode.l10n.t(…).',
        },
      ],
      // `let x; const f = () => x; x = make(f)`: a closure needs the name before its value exists.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
