import { access, constants } from 'node:fs/promises'
import { delimiter, isAbsolute, join, relative, resolve, sep } from 'node:path'
import type { ApiHandlers, HostKind } from '@shared/contract'
import type { BundleManifest, BundleTask } from '@shared/cluster/bundle'
import type { ClusterState, SlurmHere } from '@shared/clusterContract'
import { slurmOptionsProblem, type SlurmOptions } from '@shared/cluster/script'
import { bundleProblem, readBundle, writeBundle } from './clusterBundle'
import { pathInsideRoot } from './projectPaths'

/**
 * The cluster calls of the contract (clusterContract.ts), after the transport has checked their
 * payloads against the schemas. Path policy as in api.ts: on the desktop a folder reaches the
 * file system only if main's own dialog chose it or an export of this session wrote it; in a
 * browser every folder is relative to the projects folder and must stay inside it.
 */

/** Slurm's commands, where this machine has them (src-main/cluster/slurm.ts). */
export interface SlurmCommands {
  submit(dir: string): Promise<{ ok: true; message: string; jobId: string } | { ok: false; message: string }>
  status(dir: string): Promise<{ ok: true; state: ClusterState } | { ok: false; error: string }>
}

export interface ClusterDeps {
  host: HostKind
  projectsRoot?: string
  /** Desktop: the system's folder dialog; null when cancelled. */
  chooseFolder?: (purpose: 'export' | 'merge') => Promise<string | null>
  /**
   * Desktop: the folder a bundle is written in unless the user chooses another — the open
   * project's folder when `projectPath` is a file this session opened or saved (or a recent one),
   * else the user's documents folder; null when there is none.
   */
  defaultFolder?: (projectPath: string | null) => Promise<string | null>
  /** Absent: this build cannot submit (the dialog says so). */
  slurm?: SlurmCommands
  /** PATH to look for sbatch on (process.env.PATH by default). */
  path?: string
}

type ClusterHandlers = Pick<
  ApiHandlers,
  | 'cluster.chooseFolder'
  | 'cluster.defaultFolder'
  | 'cluster.export'
  | 'cluster.read'
  | 'cluster.submit'
  | 'cluster.status'
>

/** Whether an executable sbatch is on PATH. */
export async function sbatchOnPath(path = process.env['PATH'] ?? ''): Promise<boolean> {
  for (const dir of path.split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue
    if (
      await access(join(dir, 'sbatch'), constants.X_OK).then(
        () => true,
        () => false
      )
    )
      return true
  }
  return false
}

/** Whether `dir` has a bundle description (bundle.json). */
async function holdsBundle(dir: string): Promise<boolean> {
  return access(join(dir, 'bundle.json')).then(
    () => true,
    () => false
  )
}

/** The first of NAME-2, NAME-3, … (up to NAME-99) that does not exist in `base`; null if none. */
async function freeFolderName(base: string, name: string): Promise<string | null> {
  const stem = name.replace(/-\d{1,2}$/, '')
  for (let k = 2; k < 100; k++) {
    const candidate = `${stem}-${k}`
    if (candidate.length > 100) return null // longer than a bundle folder's name may be
    const taken = await access(join(base, candidate)).then(
      () => true,
      () => false
    )
    if (!taken) return candidate
  }
  return null
}

export function createClusterHandlers(deps: ClusterDeps): ClusterHandlers {
  /** Desktop folders this session may use: chosen in main's dialog, or written by an export. */
  const granted = new Set<string>()

  async function folderOf(path: string): Promise<string | null> {
    if (deps.host === 'web') return deps.projectsRoot ? pathInsideRoot(deps.projectsRoot, path || '.') : null
    return isAbsolute(path) && granted.has(resolve(path)) ? resolve(path) : null
  }
  const refused = (path: string): string =>
    deps.host === 'web'
      ? `“${path.slice(0, 200)}” is not a folder inside the projects folder.`
      : 'Choose the folder with Choose… first: Blockspin uses only folders chosen in its dialog.'
  const display = (full: string): string =>
    deps.host === 'web' && deps.projectsRoot ? relative(resolve(deps.projectsRoot), full).split(sep).join('/') : full

  async function slurmHere(): Promise<SlurmHere> {
    if (!deps.slurm) return { available: false, reason: 'This version of Blockspin cannot submit to Slurm itself.' }
    if (!(await sbatchOnPath(deps.path))) {
      const where = deps.host === 'web' ? 'the machine serving this page' : 'this computer'
      return { available: false, reason: `sbatch is not on ${where}’s PATH: copy the folder to the cluster.` }
    }
    return { available: true }
  }

  return {
    'cluster.chooseFolder': async ({ purpose }) => {
      if (deps.host === 'web' || !deps.chooseFolder) return { error: 'The browser chooses folders in its own picker.' }
      const chosen = await deps.chooseFolder(purpose)
      if (!chosen || !isAbsolute(chosen)) return { canceled: true }
      granted.add(resolve(chosen))
      return { path: resolve(chosen) }
    },

    'cluster.defaultFolder': async ({ projectPath }) => {
      if (deps.host === 'web' || !deps.defaultFolder)
        return { error: 'In a browser, a bundle goes in the project’s folder inside the projects folder.' }
      const folder = await deps.defaultFolder(projectPath)
      if (!folder || !isAbsolute(folder)) return { error: 'There is no folder to suggest: choose one.' }
      granted.add(resolve(folder))
      return { path: resolve(folder) }
    },

    'cluster.export': async ({ parent, name, manifest, tasks, files, slurm }) => {
      const options: SlurmOptions = {
        time: slurm.time,
        mem: slurm.mem,
        cpus: slurm.cpus,
        ...(slurm.partition ? { partition: slurm.partition } : {})
      }
      const problem = slurmOptionsProblem(options)
      if (problem) return { ok: false, error: problem }
      const m = manifest as BundleManifest
      const mismatch = bundleProblem(m, tasks as BundleTask[])
      if (mismatch) return { ok: false, error: `The bundle was not written: ${mismatch}.` }
      const base = await folderOf(parent)
      if (!base) return { ok: false, error: refused(parent) }
      const full = join(base, name)
      // The name is one plain segment, but a symlink of that name could still lead out of the root.
      if (deps.host === 'web' && !(await pathInsideRoot(deps.projectsRoot!, display(full))))
        return { ok: false, error: refused(display(full)) }
      const bundle = { manifest: m, tasks: tasks as BundleTask[], ...(files ? { files } : {}) }
      const written = await writeBundle(full, bundle, options)
      if (!written.ok && (await holdsBundle(full))) {
        // Another bundle is there: name a free folder beside it, which the dialog fills in.
        const free = await freeFolderName(base, name)
        return free
          ? {
              ok: false,
              error: `${display(full)} holds another bundle, left alone: write it as ${free}, or choose another name or folder.`,
              suggestedName: free
            }
          : { ok: false, error: written.error }
      }
      if (!written.ok) return { ok: false, error: written.error }
      granted.add(full)
      return { ok: true, dir: display(full), fullPath: full, manifest: m, slurm: await slurmHere() }
    },

    'cluster.read': async ({ dir }) => {
      const full = await folderOf(dir)
      if (!full) return { ok: false, error: refused(dir) }
      const read = await readBundle(full)
      return read.ok ? { ...read, dir: display(full) } : read
    },

    'cluster.submit': async ({ dir }) => {
      const full = await folderOf(dir)
      if (!full) return { ok: false, message: refused(dir) }
      const here = await slurmHere()
      if (!here.available) return { ok: false, message: here.reason }
      return deps.slurm!.submit(full)
    },

    'cluster.status': async ({ dir }) => {
      const full = await folderOf(dir)
      if (!full) return { ok: false, error: refused(dir) }
      if (!deps.slurm) return { ok: false, error: 'This version of Blockspin cannot ask Slurm.' }
      return deps.slurm.status(full)
    }
  }
}
