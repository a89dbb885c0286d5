import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * scripts/electronegativity.mjs runs Doyensec's scanner offline over the app's sources (npm test
 * counts it as one check): it passes with the committed baseline of explained findings and fails
 * on any high or medium finding the baseline does not explain.
 */
const root = fileURLToPath(new URL('../..', import.meta.url))
const script = join(root, 'scripts', 'electronegativity.mjs')
const scan = (...args: string[]) =>
  spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: 'utf8', timeout: 240_000 })

describe('Electronegativity', () => {
  it('passes with the committed baseline and fails on findings it does not explain', () => {
    const ok = scan()
    expect(ok.stderr).toBe('')
    expect(ok.status).toBe(0)
    expect(ok.stdout).toMatch(
      /^Electronegativity 45\.5\.0: \d+ findings, (\d+) high or medium, \1 explained in the baseline, 0 new\./
    )

    const dir = mkdtempSync(join(tmpdir(), 'blockspin-en-'))
    try {
      writeFileSync(join(dir, 'empty.json'), JSON.stringify({ findings: [] }))
      const strict = scan('--baseline', join(dir, 'empty.json'))
      expect(strict.status).toBe(1)
      expect(strict.stdout).toMatch(/NEW MEDIUM PRELOAD_JS_CHECK in src-main\/main\/window\.ts/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 300_000)
})
