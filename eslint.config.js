import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'native/*/build/', 'node_modules/', 'oclif.manifest.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'exit', message: 'exit codes belong to the base command' }],
    },
  },
  { files: ['scripts/**', 'bin/**'], rules: { 'no-restricted-properties': 'off' } },
  // the shape of src/ (docs/architecture.md §1): lower layers never reach up (a later entry
  // replaces an earlier one's rule for the files both match: the general rule comes first)
  {
    files: ['src/orchestrator/**', 'src/offline/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)(commands|cli|ui)/', message: 'the daemon and offline code never import commands or UI' }] }] },
  },
  ...layer(['src/orchestrator/process/**', 'src/orchestrator/state/**', 'src/orchestrator/control/**'], ['daemon', 'pipewire', 'engine', 'profiles', 'sandbox', 'system']),
  ...layer(['src/orchestrator/pipewire/**', 'src/orchestrator/engine/**', 'src/orchestrator/profiles/**'], ['daemon', 'sandbox', 'system']),
  ...layer(['src/orchestrator/daemon/**'], ['sandbox', 'system']),
  {
    files: ['src/policy/**', 'src/graph/**', 'src/wire/**', 'src/profile/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)(orchestrator|commands|cli|ui)/', message: 'pure code: no daemon parts, commands or UI' }] }] },
  },
);

/** Files in `files` may not import from the orchestrator folders named in `above`. */
function layer(files, above) {
  return [{ files, rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: `(^|/)(orchestrator/)?(${above.join('|')})/`, message: `a lower layer: it may not import ${above.join(', ')}` }, { regex: '(^|/)(commands|cli|ui)/', message: 'no commands or UI below the daemon' }] }] } }];
}
