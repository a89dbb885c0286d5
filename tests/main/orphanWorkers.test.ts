import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

/**
 * Workers never outlive what started them: the CLI killed during a dataset job, or any parent
 * killed while a job keeps its worker's main thread busy. Linux only (reads /proc to find the
 * worker and see whether it is gone; a zombie awaiting its reaper counts as gone).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
const linux = process.platform === 'linux'

let dir: string
const started: ChildProcess[] = []
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'blockspin-orphans-'))
})
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

/** 'R', 'S', 'Z', … of a process, or null when there is none. */
function processState(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0]!
  } catch {
    return null
  }
}
const alive = (pid: number): boolean => ![null, 'Z', 'X'].includes(processState(pid))

function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((p) => {
      try {
        return Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === pid
      } catch {
        return false
      }
    })
}

/** Starts `node --import tsx` on a module, collecting its stderr. */
function startNode(args: string[], env: Record<string, string> = {}): { child: ChildProcess; stderr: () => string } {
  const child = spawn(process.execPath, ['--import', TSX, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  started.push(child)
  let err = ''
  child.stderr!.on('data', (d) => (err += String(d)))
  child.stdout!.on('data', () => undefined)
  return { child, stderr: () => err }
}

async function until(what: string, ok: () => boolean, timeoutMs: number): Promise<number> {
  const t0 = Date.now()
  while (!ok()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return Date.now() - t0
}

/** The CLI's `sample` on a lattice big enough to be still sampling when it is stopped. */
function startSampling() {
  const script = join(dir, 'cli.mjs')
  writeFileSync(
    script,
    `import { main } from ${JSON.stringify(pathToFileURL(join(ROOT, 'src-main/cli/index.ts')).href)}\nprocess.exitCode = await main(process.argv.slice(2))\n`
  )
  return startNode([
    script,
    'sample',
    '--lattice=square:64x64',
    '--K',
    '0.44',
    '--samples',
    '60000',
    '--burn-in',
    '200',
    '--out',
    join(dir, 'd.blockspin')
  ])
}

async function workerOf(cli: { child: ChildProcess; stderr: () => string }): Promise<number> {
  await until('sampling to start', () => /sampling|burn-in|pilot/.test(cli.stderr()), 60_000)
  const [worker] = childrenOf(cli.child.pid!)
  expect(worker, cli.stderr()).toBeDefined()
  return worker!
}

describe.runIf(linux)('orphaned workers', () => {
  it('the worker of a CLI killed with SIGKILL during a dataset job is gone within a few seconds', async () => {
    const cli = startSampling()
    const worker = await workerOf(cli)
    cli.child.kill('SIGKILL')
    await until('the worker to end', () => !alive(worker), 5000)
  }, 90_000)

  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    it(`the CLI stopped with ${signal} cancels its dataset job, saves nothing and leaves no worker`, async () => {
      const cli = startSampling()
      const worker = await workerOf(cli)
      const exited = new Promise<number | null>((resolve) => cli.child.on('exit', (code) => resolve(code)))
      cli.child.kill(signal)
      // Exiting by its own hand (a code, not the signal) means it handled the signal.
      const code = await exited
      expect(code, cli.stderr()).toBe(1)
      expect(cli.stderr()).toMatch(/cancelled/)
      expect(readdirSync(dir)).toEqual(['cli.mjs'])
      await until('the worker to end', () => !alive(worker), 5000)
    }, 90_000)
  }

  it('a worker whose job never yields still ends within a few seconds of its parent being killed', async () => {
    const script = join(dir, 'parent.mjs')
    const src = (p: string) => JSON.stringify(pathToFileURL(join(ROOT, p)).href)
    writeFileSync(
      script,
      `
import { JobBroker } from ${src('src-main/services/jobBroker.ts')}
import { defaultWorkerEntry, spawnNodeWorker } from ${src('src-main/services/nodeWorker.ts')}
const { entry, execArgv } = defaultWorkerEntry(${src('src-main/services/nodeWorker.ts')})
const broker = new JobBroker({ maxBatchJobs: 1, spawn: () => spawnNodeWorker({ entry, execArgv, env: { BLOCKSPIN_TEST_RUNNERS: '1' } }) })
const id = broker.start({ kind: 'test.block', title: 'block', interactive: false, spec: { ms: 60000 }, seed: 1 })
broker.on('update', (info) => info.id === id && info.progress && process.stderr.write('blocking\\n'))
`
    )
    const parent = startNode([script])
    await until('the job to block', () => parent.stderr().includes('blocking'), 60_000)
    const [worker] = childrenOf(parent.child.pid!)
    expect(worker).toBeDefined()
    parent.child.kill('SIGKILL')
    await until('the blocked worker to end', () => !alive(worker!), 5000)
  }, 90_000)
})
