// Electronegativity (Doyensec's Electron security scanner) over the app's own sources, offline.
//
//   node scripts/electronegativity.mjs            scan, compare with the baseline, exit 1 on a new finding
//   node scripts/electronegativity.mjs --print    also print every finding as a baseline entry
//   node scripts/electronegativity.mjs --baseline FILE   compare with another baseline
//
// Two things keep the published package (1.10.3) from running here as it is, and this wrapper
// fixes both without touching node_modules:
//  - Its CLI needs commander 2–5 (`program.input` style options) but does not declare it; npm
//    installs commander 5 only under @electron/asar, and a newer commander (from other packages)
//    is what a plain require('commander') finds. The scan runs in a child process whose
//    Module._resolveFilename sends electronegativity's require('commander') to @electron/asar's.
//  - It fetches translations and the list of Electron releases from GitHub. Here its `got` is
//    replaced by one that fails at once, and every socket and DNS lookup in the child throws, so
//    nothing can reach the network; the release check (AvailableSecurityFixesGlobalCheck) is
//    skipped, and the Electron version is given (-e) rather than looked up.
// Findings of HIGH or MEDIUM severity must be listed, with the reason they are acceptable, in
// scripts/electronegativity-baseline.json (matched by check, file and code sample).
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const ELECTRON_VERSION = '45.5.0'
const BASELINE_ARG = process.argv.indexOf('--baseline')
const BASELINE =
  BASELINE_ARG > 0 ? process.argv[BASELINE_ARG + 1] : join(root, 'scripts', 'electronegativity-baseline.json')
/** What is scanned: the Electron-side and page sources, and the manifest (for the Electron version). */
const SCANNED = ['src-main', 'src-renderer/index.html', 'src-renderer/src', 'package.json', 'electron.vite.config.ts']
/** Needs the network (GitHub's list of Electron releases); the version is pinned with -e instead. */
const SKIPPED_CHECKS = ['AvailableSecurityFixesGlobalCheck']

if (process.argv[2] === '--child') child(process.argv.slice(3))
else parent(process.argv.includes('--print'))

/** The scan itself, in a process of its own with the module hooks and no network. */
function child(args) {
  const require = createRequire(import.meta.url)
  const Module = require('node:module')
  const net = require('node:net')
  const dns = require('node:dns')
  const offline = () => {
    throw new Error('Electronegativity runs offline here: no network connections.')
  }
  net.Socket.prototype.connect = offline
  dns.lookup = offline
  dns.promises.lookup = offline

  const pkgDir = dirname(require.resolve('@doyensec/electronegativity/package.json'))
  const fromAsar = createRequire(require.resolve('@electron/asar/package.json', { paths: [pkgDir] }))
  const commander = fromAsar.resolve('commander')
  const major = Number(JSON.parse(readFileSync(join(dirname(commander), 'package.json'), 'utf8')).version.split('.')[0])
  if (!(major >= 2 && major <= 5)) {
    console.error(`Electronegativity needs commander 2–5; @electron/asar's is version ${major}.`)
    process.exit(2)
  }
  const inside = (parent) => typeof parent?.filename === 'string' && parent.filename.startsWith(pkgDir)
  const resolve = Module._resolveFilename
  Module._resolveFilename = function (request, parent, ...rest) {
    if (request === 'commander' && inside(parent)) return commander
    return resolve.call(this, request, parent, ...rest)
  }
  const load = Module._load
  const got = () => Promise.reject(new Error('offline'))
  got.head = got
  Module._load = function (request, parent, ...rest) {
    if (request === 'got' && inside(parent)) return got
    return load.call(this, request, parent, ...rest)
  }
  process.argv = [process.argv[0], join(pkgDir, 'dist', 'index.js'), ...args]
  require(join(pkgDir, 'dist', 'index.js'))
}

function parent(print) {
  const stage = mkdtempSync(join(tmpdir(), 'blockspin-electronegativity-'))
  try {
    const input = join(stage, 'app')
    mkdirSync(input)
    for (const part of SCANNED) {
      if (existsSync(join(root, part))) cpSync(join(root, part), join(input, part), { recursive: true })
    }
    const csv = join(stage, 'findings.csv')
    const args = ['-i', input, '-e', ELECTRON_VERSION, '-x', SKIPPED_CHECKS.join(','), '-r', '-o', csv]
    const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', ...args], {
      cwd: stage,
      encoding: 'utf8',
      env: { ...process.env, LANG: 'en-US' },
      timeout: 300_000
    })
    if (run.status !== 0 || !existsSync(csv)) {
      console.error(`Electronegativity did not run (exit ${run.status ?? run.signal}):\n${run.stderr || run.stdout}`)
      process.exit(1)
    }
    const findings = parseCsv(readFileSync(csv, 'utf8'))
    // Its per-file checks always report package.json's Electron version: without it, they did not run.
    if (!findings.some((f) => f.id === 'ELECTRON_VERSION_JSON_CHECK' && f.file === 'package.json')) {
      console.error('Electronegativity did not complete its checks (package.json was not read); nothing was compared.')
      process.exit(1)
    }
    const baseline = JSON.parse(readFileSync(BASELINE, 'utf8'))
    const key = (f) => `${f.id}|${f.file}|${f.sample.trim()}`
    const explained = new Map(baseline.findings.map((f) => [key(f), f]))
    const serious = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM')
    const fresh = serious.filter((f) => !explained.has(key(f)))
    const seen = new Set(serious.map(key))
    const stale = baseline.findings.filter((f) => !seen.has(key(f)))
    if (print)
      for (const f of serious) console.log(JSON.stringify({ ...f, reason: explained.get(key(f))?.reason ?? '' }))
    console.log(
      `Electronegativity ${ELECTRON_VERSION}: ${findings.length} findings, ${serious.length} high or medium, ` +
        `${serious.length - fresh.length} explained in the baseline, ${fresh.length} new.`
    )
    for (const f of stale) console.log(`  (no longer found, can leave the baseline: ${f.id} in ${f.file})`)
    for (const f of fresh) {
      console.log(`  NEW ${f.severity} ${f.id} in ${f.file}:${f.line}: ${f.sample.trim()}\n      ${f.description}`)
    }
    process.exit(fresh.length === 0 ? 0 : 1)
  } finally {
    rmSync(stage, { recursive: true, force: true })
  }
}

/**
 * Electronegativity's CSV: issue, severity, confidence, file, line:column, sample, description,
 * URL — one finding per line. Its samples are written without escaping the quotes they contain (a
 * CSP meta tag's content="…"), so a quote-aware parser over the whole text can run on past the
 * end of a line and swallow the findings after it (which of them depends on the order the checks
 * finish in). Each line is parsed on its own: quotes pair up within a line or end with it.
 */
function parseCsv(text) {
  const rows = []
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    const row = []
    let field = ''
    let quoted = false
    for (let i = 0; i < line.length; i++) {
      const c = line[i]
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') ((field += '"'), i++)
        else if (c === '"') quoted = false
        else field += c
      } else if (c === '"') quoted = true
      else if (c === ',') (row.push(field), (field = ''))
      else if (c !== '\r') field += c
    }
    row.push(field)
    rows.push(row)
  }
  return rows.slice(1).map(([id, severity, confidence, file, line, sample, description]) => ({
    id,
    severity,
    confidence,
    file,
    line,
    sample: sample ?? '',
    description: description ?? ''
  }))
}
