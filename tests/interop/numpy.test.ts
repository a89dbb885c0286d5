import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeProject, encodeProject } from '@shared/project/codec'
import { decodeNpy } from '@shared/project/npy'
import type { ProjectDoc } from '@shared/project/types'
import { sampleDoc } from '../shared/projectTestUtils'

/**
 * A .blockspin file must be readable by NumPy with no Blockspin code: numpy.load opens it as an
 * .npz archive (keys "arrays/<id>") and each member is a plain .npy file. Needs Debian's
 * python3-numpy for /usr/bin/python3; set BLOCKSPIN_SKIP_INTEROP=1 to skip deliberately.
 */
const PYTHON = '/usr/bin/python3'
const skip = process.env.BLOCKSPIN_SKIP_INTEROP === '1'

function python(script: string, ...args: string[]): unknown {
  const out = execFileSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8', timeout: 30_000 })
  return JSON.parse(out)
}

describe.skipIf(skip)('NumPy reads what Blockspin writes', () => {
  let dir: string
  let path: string
  const doc: ProjectDoc = sampleDoc()
  const spins = Int8Array.from({ length: 256 }, (_, k) => ((k * 37) % 5 < 2 ? -1 : 1))
  doc.arrays['r1.spins'] = { dtype: '|i1', shape: [16, 16], data: spins }
  doc.project.runs[0].spec.L = 16
  doc.project.models[0].lattice = { kind: 'square', Lx: 16, Ly: 16, periodicX: true, periodicY: true }

  beforeAll(() => {
    const probe = spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' })
    if (probe.status !== 0) {
      throw new Error(
        `${PYTHON} cannot import numpy (${probe.error?.message ?? probe.stderr.trim().split('\n').pop()}). ` +
          'Install it with: apt-get install -y python3-numpy — or set BLOCKSPIN_SKIP_INTEROP=1 to skip this test.'
      )
    }
    dir = mkdtempSync(join(tmpdir(), 'blockspin-interop-'))
    path = join(dir, 'sample.blockspin')
    writeFileSync(path, encodeProject(doc, '1.0.0'))
  })
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('numpy.load opens the project as an npz archive with int8 spins of shape (16, 16)', () => {
    const result = python(
      `
import json, sys, numpy as np
with np.load(sys.argv[1]) as z:
    a = z['arrays/r1.spins']
    print(json.dumps({'files': sorted(z.files), 'dtype': str(a.dtype), 'shape': list(a.shape), 'values': a.ravel().tolist()}))
`,
      path
    ) as { files: string[]; dtype: string; shape: number[]; values: number[] }
    expect(result.files).toContain('project.json')
    expect(result.files).toContain('arrays/r1.spins')
    expect(result.dtype).toBe('int8')
    expect(result.shape).toEqual([16, 16])
    expect(result.values).toEqual(Array.from(spins))
  })

  it('every member is a standalone .npy file with the right dtype, shape, values and sha256', () => {
    const result = python(
      `
import hashlib, io, json, os, sys, zipfile, numpy as np
out = {}
with zipfile.ZipFile(sys.argv[1]) as zf:
    listing = json.loads(zf.read('project.json'))['arrays']
    for name in zf.namelist():
        if not name.startswith('arrays/'):
            continue
        raw = zf.read(name)
        target = os.path.join(sys.argv[2], os.path.basename(name))
        with open(target, 'wb') as f:
            f.write(raw)
        a = np.load(target, allow_pickle=False)
        key = name[len('arrays/'):-len('.npy')]
        values = [x if np.isfinite(x) else str(x) for x in a.ravel().tolist()] if a.dtype.kind == 'f' else a.ravel().tolist()
        out[key] = {'dtype': a.dtype.str, 'shape': list(a.shape), 'values': values,
                    'sha256ok': hashlib.sha256(raw).hexdigest() == listing[key]['sha256']}
print(json.dumps(out))
`,
      path,
      dir
    ) as Record<string, { dtype: string; shape: number[]; values: number[]; sha256ok: boolean }>
    expect(Object.keys(result).sort()).toEqual(Object.keys(doc.arrays).sort())
    for (const [id, array] of Object.entries(doc.arrays)) {
      expect(result[id].dtype, id).toBe(array.dtype)
      expect(result[id].shape, id).toEqual(array.shape)
      expect(result[id].values, id).toEqual(Array.from(array.data))
      expect(result[id].sha256ok, id).toBe(true)
    }
  })

  it('Blockspin reads .npy files written by numpy.save', () => {
    const target = join(dir, 'from-numpy.npy')
    python(
      `
import json, sys, numpy as np
a = (np.arange(256).reshape(16, 16) % 3 - 1).astype(np.int8)
np.save(sys.argv[1], a)
print('null')
`,
      target
    )
    const result = decodeNpy(readFileSync(target))
    if (!result.ok) throw new Error(result.detail)
    expect(result.array.dtype).toBe('|i1')
    expect(result.array.shape).toEqual([16, 16])
    expect(Array.from(result.array.data)).toEqual(Array.from({ length: 256 }, (_, k) => (k % 3) - 1))
  })

  it('the project still opens in Blockspin after numpy read it', () => {
    expect(decodeProject(readFileSync(path)).ok).toBe(true)
  })
})
