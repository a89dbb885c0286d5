import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib'
import { encodeNpy } from '@shared/project/npy'
import type { ProjectDoc } from '@shared/project/types'
import { startProjectHost, tenMegabyteDoc } from '../helpers/projectHost'
import type { BenchRow } from './gemm'

/**
 * A project of about 10 MB on disk, saved and opened END TO END through the web host: the
 * page's client encodes the call, the host decodes and checks it, encodes the file on a worker
 * thread (each deflated piece inflated back and compared with its input as it is made), checks
 * that the file opens (all but inflating the arrays again), writes it atomically; opening reads, decodes on a worker thread
 * and sends the arrays back to the page. What the user waits for between pressing Save (or
 * Open) and seeing the result.
 */
export interface SaveOpenTiming {
  saveSeconds: number
  openSeconds: number
  /** CPU time of every thread of this process (page client, host, codec threads, zlib's pool) in that round. */
  saveCpuSeconds: number
  openCpuSeconds: number
  fileBytes: number
  rawBytes: number
}

/** Best of `rounds` end-to-end saves and opens of `doc` through the web host. */
export async function timeSaveOpen(doc: ProjectDoc, rounds = 3): Promise<SaveOpenTiming> {
  const fx = await startProjectHost()
  try {
    let save = { seconds: Infinity, cpu: 0 }
    let open = { seconds: Infinity, cpu: 0 }
    const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; cpu: number }> => {
      const cpu0 = process.cpuUsage()
      const t0 = performance.now()
      const value = await work()
      const cpu = process.cpuUsage(cpu0)
      return { value, seconds: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 }
    }
    for (let r = 0; r < rounds; r++) {
      const saved = await timed(() =>
        fx.api['project.save']({ doc: doc as never, path: 'ten.blockspin', saveAs: false })
      )
      if (saved.value.status !== 'saved') throw new Error(`the save failed: ${JSON.stringify(saved.value)}`)
      if (saved.seconds < save.seconds) save = saved
      const opened = await timed(() => fx.api['project.open']({ path: 'ten.blockspin' }))
      if (opened.value.status !== 'opened') throw new Error(`the open failed: ${JSON.stringify(opened.value)}`)
      if (opened.seconds < open.seconds) open = opened
    }
    const rawBytes = Object.values(doc.arrays).reduce((n, a) => n + a.data.byteLength, 0)
    return {
      saveSeconds: save.seconds,
      openSeconds: open.seconds,
      saveCpuSeconds: save.cpu,
      openCpuSeconds: open.cpu,
      fileBytes: statSync(join(fx.dir, 'projects', 'ten.blockspin')).size,
      rawBytes
    }
  } finally {
    await fx.close()
  }
}

const PYTHON_SCRIPT = `
import json, os, sys, time, zipfile
import numpy as np
folder, target = sys.argv[1], sys.argv[2]
arrays = {name[:-4]: np.load(os.path.join(folder, name)) for name in sorted(os.listdir(folder))}
best_save = best_open = float('inf')
for _ in range(3):
    t = time.perf_counter(); np.savez_compressed(target, **arrays); best_save = min(best_save, time.perf_counter() - t)
    t = time.perf_counter()
    with np.load(target) as z: loaded = {k: z[k] for k in z.files}
    best_open = min(best_open, time.perf_counter() - t)
print(json.dumps({'save': best_save, 'open': best_open, 'bytes': os.path.getsize(target), 'numpy': np.__version__}))
`

/** NumPy's savez_compressed and np.load of the same arrays (zipfile, zlib level 6), best of 3. */
function numpyReference(doc: ProjectDoc): { save: number; open: number; bytes: number; numpy: string } | string {
  const python = process.env['BENCH_PYTHON'] ?? '/usr/bin/python3'
  if (!existsSync(python)) return `${python} not found`
  const dir = mkdtempSync(join(tmpdir(), 'blockspin-npz-'))
  try {
    mkdirSync(join(dir, 'in'))
    for (const [id, array] of Object.entries(doc.arrays)) writeFileSync(join(dir, 'in', `${id}.npy`), encodeNpy(array))
    const r = spawnSync(python, ['-c', PYTHON_SCRIPT, join(dir, 'in'), join(dir, 'out.npz')], {
      encoding: 'utf8',
      timeout: 300_000
    })
    if (r.status !== 0) return `NumPy: ${(r.stderr || r.error?.message || 'failed').trim().split('\n').pop()}`
    return JSON.parse(r.stdout) as { save: number; open: number; bytes: number; numpy: string }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * The floor of this format on Node: each array's .npy deflated at level 1 by node:zlib with its
 * CRC-32 and written; read back and inflated. No JSON, no checks, no messages, no threads.
 */
function nodeZlibFloor(doc: ProjectDoc): { save: number; open: number } {
  const dir = mkdtempSync(join(tmpdir(), 'blockspin-zlib-'))
  const file = join(dir, 'floor.bin')
  try {
    let save = Infinity
    let open = Infinity
    for (let round = 0; round < 3; round++) {
      let t0 = performance.now()
      const parts = Object.values(doc.arrays).map((a) => {
        const npy = encodeNpy(a)
        crc32(npy)
        return deflateRawSync(npy, { level: 1 })
      })
      writeFileSync(file, Buffer.concat(parts))
      save = Math.min(save, (performance.now() - t0) / 1000)
      t0 = performance.now()
      const whole = readFileSync(file)
      let at = 0
      for (const p of parts) {
        crc32(inflateRawSync(whole.subarray(at, at + p.length)))
        at += p.length
      }
      open = Math.min(open, (performance.now() - t0) / 1000)
    }
    return { save, open }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Appends the save and open rows (seconds; ratio Blockspin / reference, below 1 is faster) to `rows`. */
export async function benchProjectSaveOpen(rows: BenchRow[]): Promise<void> {
  const doc = tenMegabyteDoc()
  const floor = nodeZlibFloor(doc)
  const numpy = numpyReference(doc)
  let mine: SaveOpenTiming | null = null
  let error = ''
  try {
    mine = await timeSaveOpen(doc)
  } catch (e) {
    error = (e as Error).message
  }
  const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`
  const what = mine ? `${mb(mine.fileBytes)} file, ${mb(mine.rawBytes)} of arrays` : 'the 10 MB project'
  for (const op of ['save', 'open'] as const) {
    const value = mine ? (op === 'save' ? mine.saveSeconds : mine.openSeconds) : null
    const cpu = mine ? (op === 'save' ? mine.saveCpuSeconds : mine.openCpuSeconds) : null
    const load = loadavg()[0]!.toFixed(1)
    const ref = typeof numpy === 'string' ? null : numpy[op]
    const how =
      op === 'save'
        ? 'page client encodes → WebSocket → host checks → worker thread encodes, each piece checked, and checks the file → atomic write'
        : 'host reads → worker thread decodes → WebSocket → page client decodes'
    rows.push({
      name: `Project ${op}, ${what}, through the web host vs NumPy`,
      value,
      unit: 's',
      reference: ref,
      ratio: ref && value !== null ? value / ref : null,
      note: mine
        ? `goal well under 1 s; ${how}; best of 3, ${cpu?.toFixed(2)} s of CPU in all threads, load average ${load}; reference: ${typeof numpy === 'string' ? numpy : `NumPy ${numpy.numpy} ${op === 'save' ? 'savez_compressed' : 'np.load of every array'} (zlib level 6, ${mb(numpy.bytes)})`}`
        : `not measured: ${error}`
    })
    rows.push({
      name: `Project ${op}, ${what}, through the web host vs zlib alone`,
      value,
      unit: 's',
      reference: floor[op],
      ratio: value !== null ? value / floor[op] : null,
      note: "reference: the arrays' .npy bytes deflated (level 1) or inflated by node:zlib with their CRC-32, and the file written or read, on this thread; nothing else"
    })
  }
}
