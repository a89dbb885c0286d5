// ESLint: the layering of ARCHITECTURE.md (as tests/shared/layers.test.ts checks it), no import
// cycles, and a few correctness rules. Formatting is Prettier's alone (eslint-config-prettier
// turns off every rule that would disagree with it).
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import importX from 'eslint-plugin-import-x'
import vue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'

// Imports resolve as in the builds: relative paths and the aliases @core/* and @shared/*
// (tsconfig.base.json `paths`, through tsconfig.json), so every rule below sees both forms.
const resolver = createTypeScriptImportResolver({ project: './tsconfig.json', alwaysTryTypes: true })

const electron = { name: 'electron', message: 'Only src-main/main and src-main/preload import electron.' }

/** The layers: which folders may not import which (paths resolved, relative or aliased). */
const layers = [
  {
    target: './src-core',
    from: ['./src-main', './src-renderer', './tests', './scripts'],
    message: 'src-core is pure: it imports only src-core.'
  },
  {
    target: './src-main/shared',
    from: './src-main',
    except: ['./shared'],
    message: 'src-main/shared runs on both sides: it imports only shared and core.'
  },
  { target: './src-main/shared', from: './src-renderer', message: 'src-main/shared does not import the renderer.' },
  {
    target: './src-renderer',
    from: './src-main',
    except: ['./shared'],
    message: 'The renderer reaches src-main only through src-main/shared.'
  }
]

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'reports/',
      'test-results/',
      'playwright-report/',
      '.tmp/',
      'src-core/wasm/*.generated.ts',
      // AssemblyScript, compiled by asc with its own types (i32, f32x4, @inline…)
      'wasm/',
      'tests/fixtures/'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/essential'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
    // TypeScript checks names (no-undef does not know DOM or TS types).
    rules: { 'no-undef': 'off' }
  },
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node, ...globals.browser }
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [resolver],
      // Which files import-x parses to follow imports (no-cycle walks through them). Not .vue:
      // its parser would need the TypeScript parser passed in, which import-x does not do.
      'import-x/extensions': ['.ts', '.mts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.mts'] }
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones: layers }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }
      ],
      'no-debugger': 'error',
      // Comma statements (`a(), b()`) are the house style for short paired calls.
      '@typescript-eslint/no-unused-expressions': 'off',
      // Component names are the app's own (Inspector, not a custom element that could clash).
      'vue/multi-word-component-names': 'off',
      // Every control-character class in the code is deliberate: checks of untrusted file names
      // and of messages before they are shown.
      'no-control-regex': 'off'
    }
  },
  {
    // Pure core: no packages at all (no Node, Electron, Vue, Pinia, ECharts), only core.
    files: ['src-core/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\.|@core/)', message: 'src-core is pure: it imports only src-core.' }] }
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'setTimeout', 'require'],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'src-core draws from a seeded generator (src-core/random).' }
      ]
    }
  },
  {
    // Shared by both sides: nothing from Node or Electron.
    files: ['src-main/shared/**/*.ts'],
    rules: {
      'import-x/no-nodejs-modules': 'error',
      'no-restricted-imports': ['error', { paths: [electron] }]
    }
  },
  {
    // The renderer is sandboxed: no Node, no Electron.
    files: ['src-renderer/**/*.{ts,vue}'],
    languageOptions: { globals: globals.browser },
    rules: {
      'import-x/no-nodejs-modules': 'error',
      'no-restricted-imports': ['error', { paths: [electron] }]
    }
  },
  {
    // Only the Electron layer imports electron.
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/main/**', 'src-main/preload/**', 'src-main/shared/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [electron] }] }
  },
  prettier
)
