// `npm test`: every suite, in order, with one closing line "N passed, N failed".
//   1. type checks (core purity, Node + Electron typings, renderer with vue-tsc), the linter
//      (ESLint), the formatter's check (Prettier) and Electronegativity (offline, against its
//      baseline of explained findings: scripts/electronegativity.mjs)
//   2. Vitest (core, shared, main services with real child processes, renderer, interop)
//   3. build, then Playwright in Chromium through the web host (+ the _electron smoke test,
//      which skips with a message where no Electron binary exists)
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ensureBuilt, root } from './lib.mjs'

const reports = join(root, 'reports')
mkdirSync(reports, { recursive: true })
let passed = 0
let failed = 0
let skipped = 0
const bin = (name) => join(root, 'node_modules', '.bin', name)

function run(label, cmd, args, env = {}) {
  console.log(`\n── ${label} ──`)
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  return r.status === 0
}

// 1. Type checks, lint, format check and the Electron security scan: each counts as one test.
for (const [label, cmd, args] of [
  ['typecheck: src-core is pure (no Node, no DOM)', bin('tsc'), ['-p', 'tsconfig.core.json', '--noEmit']],
  ['typecheck: Node side, Electron main and preload', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']],
  ['typecheck: renderer (vue-tsc)', bin('vue-tsc'), ['-p', 'tsconfig.web.json', '--noEmit']],
  ['lint: ESLint (layers, import cycles, correctness)', bin('eslint'), ['.']],
  ['format: Prettier check', bin('prettier'), ['--check', '.']],
  [
    'security: Electronegativity (offline; high and medium findings explained in its baseline)',
    process.execPath,
    [join(root, 'scripts', 'electronegativity.mjs')]
  ]
]) {
  if (run(label, cmd, args)) passed++
  else failed++
}

// 2. Vitest.
const vitestJson = join(reports, 'vitest.json')
const vitestOk = run('vitest', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`
])
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8'))
  passed += v.numPassedTests ?? 0
  failed += v.numFailedTests ?? 0
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0)
  // A suite that fails to load has no tests to count: count it as one failure.
  let suiteErrors = 0
  for (const suite of v.testResults ?? []) {
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) suiteErrors++
  }
  failed += suiteErrors
  // Vitest failed for another reason (an unhandled error between tests): that is a failure too.
  if (!vitestOk && (v.numFailedTests ?? 0) + suiteErrors === 0) {
    console.error('Vitest reported an error outside the tests: counting it as one failure.')
    failed++
  }
} else {
  console.error('Vitest wrote no report: counting the whole run as failed.')
  failed++
}

// 3. Build + Playwright.
ensureBuilt()
const pwJson = join(reports, 'playwright.json')
const playwrightOk = run('playwright (Chromium via the web host; Electron smoke test)', bin('playwright'), ['test'], {
  PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson
})
if (existsSync(pwJson)) {
  const p = JSON.parse(readFileSync(pwJson, 'utf8'))
  const s = p.stats ?? {}
  passed += (s.expected ?? 0) + (s.flaky ?? 0)
  failed += s.unexpected ?? 0
  skipped += s.skipped ?? 0
  for (const e of p.errors ?? []) {
    console.error(`Playwright error: ${e.message ?? e}`)
    failed++
  }
  if (!playwrightOk && (s.unexpected ?? 0) === 0 && (p.errors ?? []).length === 0) {
    console.error('Playwright failed outside the tests: counting it as one failure.')
    failed++
  }
} else {
  console.error('Playwright wrote no report: counting the whole run as failed.')
  failed++
}

console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failed > 0 ? 1 : 0)
