import { spawn } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { createApiHandlers, subscribeBrokerEvents } from '../services/api'
import { JobBroker } from '../services/jobBroker'
import { defaultWorkerEntry, spawnNodeWorker } from '../services/nodeWorker'
import { appCommand } from '../services/clusterSlurm'
import { packageInfo } from '../services/packageInfo'
import { ProjectFiles } from '../services/projectFiles'
import { UsageError } from '../services/args'
import { EXAMPLE_FILE } from '../services/exampleProject'
import { parseWebArgs, WEB_USAGE } from './args'
import { startWebHost } from './server'

/**
 * The web host: the same services as the desktop app under plain Node, serving the built
 * renderer to a browser on 127.0.0.1 with a per-launch token. Jobs run in child processes
 * forked from the same worker entry the desktop app runs in utility processes.
 */
const DEFAULT_PORT = 4780

async function main(): Promise<void> {
  let args
  try {
    args = parseWebArgs(process.argv.slice(2))
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${e.message}\n\n${WEB_USAGE}`)
      process.exit(2)
    }
    throw e
  }
  if (args.help) {
    console.log(WEB_USAGE)
    return
  }
  const { root: packageRoot, version } = packageInfo()
  const projectsRoot = args.root ?? ProjectFiles.defaultProjectsRoot()
  await mkdir(projectsRoot, { recursive: true })
  const stateDir = process.env['BLOCKSPIN_STATE_DIR'] || ProjectFiles.defaultStateDir()
  const files = new ProjectFiles({ appVersion: version, stateDir })
  const worker = defaultWorkerEntry()
  const broker = new JobBroker({
    spawn: () => spawnNodeWorker({ entry: worker.entry, execArgv: worker.execArgv }),
    maxBatchJobs: Math.max(1, cpus().length - 1),
    log: (line) => console.log(line)
  })
  const examplePath = args.example === undefined ? join(packageRoot, 'examples', EXAMPLE_FILE) : args.example
  const handlers = createApiHandlers({
    host: 'web',
    appVersion: version,
    files,
    broker,
    projectsRoot,
    examplePath,
    // A bundle submitted from the page runs on the nodes with this Node and this package's CLI.
    blockspinCommand: appCommand(process.execPath, packageRoot)
  })
  const options = {
    handlers,
    subscribe: (emit: Parameters<typeof subscribeBrokerEvents>[1]) => subscribeBrokerEvents(broker, emit),
    rendererDir: join(packageRoot, 'out', 'renderer'),
    // A closed tab cannot see or stop its chains: stop them for it.
    onClientGone: (jobIds: string[]) => {
      for (const id of jobIds) broker.control(id, 'cancel')
    }
  }
  let host
  try {
    host = await startWebHost({ ...options, port: args.port ?? DEFAULT_PORT })
  } catch (e) {
    if (args.port !== null || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e
    host = await startWebHost({ ...options, port: 0 })
  }
  console.log(`Blockspin ${version} is serving projects from ${projectsRoot}`)
  console.log(`Open this address in your browser: ${host.url}`)
  if (args.open && !process.env['CI']) openBrowser(host.url)

  const stop = async () => {
    await broker.shutdown()
    await host.close()
    await files.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open'
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true })
    child.on('error', () => undefined)
    child.unref()
  } catch {
    // No browser launcher here: the printed address is enough.
  }
}

main().catch((e: unknown) => {
  console.error(`The Blockspin web host could not start: ${(e as Error).message}`)
  process.exit(1)
})
