import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The job worker turns relaxed SIMD on before compiling a kernel (Node 20 has it behind a flag;
// Electron's V8 ships it). In a fresh Node, as in a worker: the fused-multiply-add build is then
// picked, and training on two threads gives the bits of one thread with it too.

const script = fileURLToPath(new URL('../fixtures/scripts/relaxedTraining.mts', import.meta.url))

describe('relaxed SIMD in the job worker', () => {
  it('is turned on before any kernel compiles; two threads give the bits of one with it', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 120_000 })
    expect(r.status, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      enabled: boolean
      relaxed: boolean[]
      same: boolean
      differsFromPlain: boolean
    }
    expect(out.enabled).toBe(true)
    expect(out.relaxed).toEqual([true, true])
    expect(out.same).toBe(true)
    // The fused build really ran: its products round differently from the plain build's.
    expect(out.differsFromPlain).toBe(true)
  })
})
