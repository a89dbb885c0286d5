import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate'
import { createHash } from 'node:crypto'
import type { Rng } from '@core/random/rng'
import { centralRecords } from './projectTestUtils'
import { rawZip, zip64Extra } from './hostileZip'

/**
 * Seeded mutations of valid project files, as an attacker would craft them: byte flips,
 * truncation, renamed and duplicated entries, ZIP64 fields, bombs, absurd .npy shapes and dtypes,
 * deep and huge JSON, NaN/Infinity and prototype keys. Each mutator is a pure function of the
 * fixture bytes and the generator, so a failing mutant is reproduced from its seed and index.
 */

export type Mutator = (bytes: Uint8Array, rng: Rng) => Uint8Array

const int = (rng: Rng, n: number): number => Math.floor(rng.nextFloat() * n)
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)]!

function edit(bytes: Uint8Array, change: (files: Record<string, Uint8Array>) => void): Uint8Array {
  const files = unzipSync(bytes)
  change(files)
  return zipSync(files as Zippable)
}

/** Edits project.json as text and, where arrays change, keeps their listed sha256 in step. */
function editJsonText(bytes: Uint8Array, change: (text: string) => string): Uint8Array {
  return edit(bytes, (files) => (files['project.json'] = strToU8(change(strFromU8(files['project.json']!)))))
}

const sha = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex')

/** Replaces an array's .npy header text (data kept) and updates its sha256 in the listing. */
function withNpyHeader(bytes: Uint8Array, rng: Rng, header: string): Uint8Array {
  const files = unzipSync(bytes)
  const name = pick(
    rng,
    Object.keys(files).filter((n) => n.endsWith('.npy'))
  )
  const npy = files[name]!
  const oldLength = npy[8]! | (npy[9]! << 8)
  const text = header.padEnd(Math.ceil((header.length + 11) / 64) * 64 - 11) + '\n'
  const out = new Uint8Array(10 + text.length + npy.length - 10 - oldLength)
  out.set(npy.subarray(0, 8))
  out[8] = text.length & 0xff
  out[9] = text.length >> 8
  for (let k = 0; k < text.length; k++) out[10 + k] = text.charCodeAt(k)
  out.set(npy.subarray(10 + oldLength), 10 + text.length)
  files[name] = out
  const id = name.slice('arrays/'.length, -'.npy'.length)
  const json = JSON.parse(strFromU8(files['project.json']!))
  if (json.arrays?.[id]) json.arrays[id].sha256 = sha(out)
  files['project.json'] = strToU8(JSON.stringify(json))
  return zipSync(files as Zippable)
}

const nested = (depth: number, open: string, close: string): string => open.repeat(depth) + close.repeat(depth)

export const MUTATORS: Record<string, Mutator> = {
  byteFlips(bytes, rng) {
    const out = bytes.slice()
    for (let k = 1 + int(rng, 8); k > 0; k--) out[int(rng, out.length)] ^= 1 + int(rng, 255)
    return out
  },
  truncation: (bytes, rng) => bytes.slice(0, int(rng, bytes.length)),
  renamedEntry(bytes, rng) {
    const names = ['../evil.npy', '/abs', 'a\\b', 'C:x', 'arrays/\u001b[2J.npy', 'project.JSON', 'x'.repeat(300), '']
    return edit(bytes, (files) => {
      const from = pick(rng, Object.keys(files))
      files[pick(rng, names) || 'empty'] = files[from]!
      delete files[from]
    })
  },
  duplicatedEntry(bytes, rng) {
    const out = bytes.slice()
    const records = centralRecords(out)
    const a = pick(rng, records)
    const b = pick(rng, records.filter((r) => r.name.length === a.name.length && r !== a).concat([a]))
    for (let k = 0; k < a.name.length; k++) out[b.at + 46 + k] = a.name.charCodeAt(k)
    return out
  },
  zip64Fields(bytes, rng) {
    const data = unzipSync(bytes)['project.json']!
    const marker = 0xffffffff
    const values = Array.from({ length: int(rng, 4) }, () =>
      pick(rng, [0, data.length, 2 ** 40, 2 ** 53 - 1, int(rng, 1 << 20)])
    )
    return rawZip([
      {
        name: 'project.json',
        data,
        size: rng.nextFloat() < 0.7 ? marker : data.length,
        compressedSize: rng.nextFloat() < 0.5 ? marker : data.length,
        localHeaderOffset: rng.nextFloat() < 0.3 ? marker : 0,
        centralExtra: zip64Extra(pick(rng, [0, 8, 16, 24, 0xffff, int(rng, 64)]), values)
      }
    ])
  },
  declaredSizeBomb(bytes, rng) {
    const out = bytes.slice()
    const record = pick(rng, centralRecords(out))
    new DataView(out.buffer).setUint32(
      record.at + 24,
      pick(rng, [0xfffffff0, 0x7fffffff, 1 << 30, int(rng, 1 << 24)]),
      true
    )
    return out
  },
  realBomb(bytes, rng) {
    return edit(bytes, (files) => (files[`arrays/bomb${int(rng, 9)}.npy`] = new Uint8Array(1 << (20 + int(rng, 3)))))
  },
  absurdNpy(bytes, rng) {
    const shape = pick(rng, [
      '(1099511627776, 1099511627776)',
      '(-1,)',
      '(2**62,)',
      '(9007199254740993,)',
      '()',
      '(0,)',
      '(' + '1, '.repeat(40) + ')'
    ])
    const descr = pick(rng, ['<c16', '|O', '>f8', '<f2', '|b1', '<U8', '|V4', '<f8', '|i1'])
    const fortran = pick(rng, ['False', 'True', '0', "'no'"])
    const extra = rng.nextFloat() < 0.2 ? ", 'extra': True" : ''
    return withNpyHeader(bytes, rng, `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}${extra}, }`)
  },
  deepJson(bytes, rng) {
    const depth = pick(rng, [63, 65, 1000, 100_000])
    const [open, close] = pick(rng, [
      ['[', ']'],
      ['{"a":', '}']
    ] as const)
    const value = open === '[' ? nested(depth, open, close) : '{"a":'.repeat(depth) + '0' + '}'.repeat(depth)
    const field = pick(rng, ['format', 'formatVersion', 'notes', 'extra', 'name'])
    return editJsonText(bytes, (text) => text.replace('{', `{"${field}": ${value},`))
  },
  hugeJson(bytes, rng) {
    // 4 MiB of whitespace, one string or a long array open; 65 MiB of whitespace is refused unread.
    const fillers = [
      () => ' '.repeat(1 << 22),
      () => `"big": "${'x'.repeat(1 << 22)}",`,
      () => `"many": [${'0,'.repeat(1 << 20)}0],`,
      () => ' '.repeat(65 << 20)
    ]
    const filler = pick(rng, fillers)()
    return editJsonText(bytes, (text) => text.replace('{', `{${filler}`))
  },
  nonFinite(bytes, rng) {
    const token = pick(rng, ['NaN', 'Infinity', '-Infinity', '1e999', '-1e999', '1e-999', '-0', '9007199254740993'])
    return editJsonText(bytes, (text) => {
      const numbers = [...text.matchAll(/(?<=[:[,]\s*)-?\d+(\.\d+)?([eE][-+]?\d+)?/g)]
      if (numbers.length === 0) return text
      const m = pick(rng, numbers)
      return text.slice(0, m.index) + token + text.slice(m.index! + m[0].length)
    })
  },
  prototypeKeys(bytes, rng) {
    const key = pick(rng, ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'])
    const value = pick(rng, ['{"polluted": true}', '{"prototype": {"polluted": true}}', '1', 'null', '"x"'])
    return editJsonText(bytes, (text) => {
      const braces = [...text.matchAll(/\{/g)]
      const at = pick(rng, braces).index! + 1
      return text.slice(0, at) + `"${key}": ${value},` + text.slice(at)
    })
  }
}
