import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate'
import type { ProjectDoc } from '@shared/project/types'

/** A small valid project holding one array of every supported dtype, with exact values. */
export function sampleDoc(): ProjectDoc {
  return {
    project: {
      format: 'blockspin',
      formatVersion: 3,
      appVersion: '0.0.0',
      name: 'Sample',
      createdAt: '2025-03-01T12:00:00.000Z',
      modifiedAt: '2025-03-01T12:00:00.000Z',
      notes: 'line one\nline two — ünïcode',
      models: [
        {
          id: 'm1',
          name: 'Square 4',
          lattice: { kind: 'square', Lx: 4, Ly: 4, periodicX: true, periodicY: true },
          uniform: { K: 0.25, h: -0.5 },
          arrays: {}
        }
      ],
      runs: [
        {
          id: 'r1',
          name: 'Run',
          modelId: 'm1',
          kind: 'ising.chain',
          spec: { L: 4, K: 0.25, h: -0.5, algorithm: 'wolff', sweepsPerFrame: 2, seed: 4294967295, start: 'cold' },
          status: 'live',
          sweep: 3,
          arrays: { spins: 'r1.spins', energy: 'r1.energy', absM: 'r1.absM', rngState: 'r1.rng' },
          createdAt: '2025-03-01T12:01:00.000Z'
        }
      ],
      datasets: [],
      analyses: [],
      arrays: {}
    },
    arrays: {
      'r1.spins': {
        dtype: '|i1',
        shape: [4, 4],
        data: Int8Array.from({ length: 16 }, (_, k) => (k % 3 === 0 ? -1 : 1))
      },
      'r1.energy': { dtype: '<f8', shape: [3], data: Float64Array.of(-2, -1.75, Number.MIN_VALUE) },
      'r1.absM': { dtype: '<f4', shape: [3], data: Float32Array.of(0.5, 0.25, -0) },
      'r1.rng': { dtype: '<u4', shape: [4], data: Uint32Array.of(0, 1, 0x80000000, 0xffffffff) },
      counts: { dtype: '<i4', shape: [2, 1], data: Int32Array.of(-2147483648, 2147483647) },
      'mask_u8-v2': { dtype: '|u1', shape: [0, 3], data: new Uint8Array(0) }
    }
  }
}

/** Unzips, lets the test change the entries, zips again (sizes and CRCs stay consistent). */
export function rezip(bytes: Uint8Array, edit: (files: Record<string, Uint8Array>) => void): Uint8Array {
  const files = unzipSync(bytes)
  edit(files)
  const zippable: Zippable = {}
  for (const [name, data] of Object.entries(files)) zippable[name] = data
  return zipSync(zippable)
}

/** Rewrites project.json inside an encoded project (any shape: tests write broken documents on purpose). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function editProjectJson(bytes: Uint8Array, edit: (json: Record<string, any>) => void): Uint8Array {
  return rezip(bytes, (files) => {
    const json = JSON.parse(strFromU8(files['project.json']))
    edit(json)
    files['project.json'] = strToU8(JSON.stringify(json))
  })
}

export interface CentralRecord {
  name: string
  /** Offset of the record inside the archive. */
  at: number
}

/** Lists the central directory records of a (non-ZIP64) archive, for byte patching in tests. */
export function centralRecords(bytes: Uint8Array): CentralRecord[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let eocd = bytes.length - 22
  while (view.getUint32(eocd, true) !== 0x06054b50) eocd--
  const count = view.getUint16(eocd + 10, true)
  let at = view.getUint32(eocd + 16, true)
  const out: CentralRecord[] = []
  for (let k = 0; k < count; k++) {
    const nameLength = view.getUint16(at + 28, true)
    out.push({ name: strFromU8(bytes.subarray(at + 46, at + 46 + nameLength)), at })
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true)
  }
  return out
}

/** Sets the uncompressed size an entry declares in the central directory. */
export function patchDeclaredSize(bytes: Uint8Array, name: string, size: number): Uint8Array {
  const copy = bytes.slice()
  const record = centralRecords(copy).find((r) => r.name === name)
  if (!record) throw new Error(`no entry ${name}`)
  new DataView(copy.buffer).setUint32(record.at + 24, size, true)
  return copy
}

/** A sentence a person can read: capital first, full stop last, no leaked placeholders. */
export function expectSentence(text: string): void {
  if (!/^[A-Z"].*\.$/s.test(text) || /undefined|\[object|NaN/.test(text)) throw new Error(`not a sentence: ${text}`)
}
