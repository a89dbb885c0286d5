import { z } from 'zod'
import {
  manifestSchema,
  MAX_UNITS,
  taskSchema,
  type BundleManifest,
  type BundleTask,
  type TaskResult
} from './cluster/bundle'

/**
 * The contract's cluster calls (contract.ts lists them with the others): choosing a folder on
 * the desktop, writing a bundle the renderer split (splitItem, pure), reading back a bundle's
 * results for the renderer to merge (mergeInto, pure), and where sbatch is on PATH submitting
 * the array and asking for its state. Folders are the ones main's dialog gave or an export of
 * this session wrote (desktop), or paths inside the projects folder (browser).
 */

const folder = z.string().max(4096)
/** A bundle folder's own name: no separators, not hidden, nothing a shell would need quoted. */
export const bundleFolderName = z
  .string()
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/,
    'Expected a folder name of letters, digits, _ . - (not starting with a dot)'
  )

export const clusterInputSchemas = {
  'cluster.chooseFolder': z.tuple([z.object({ purpose: z.enum(['export', 'merge']) })]),
  /** Desktop: the folder a bundle goes in unless another is chosen (beside the open project's file, or Documents). */
  'cluster.defaultFolder': z.tuple([z.object({ projectPath: z.string().max(4096).nullable() })]),
  'cluster.export': z.tuple([
    z.object({
      /** The folder the bundle's folder goes in ('' = the projects folder in a browser). */
      parent: folder,
      name: bundleFolderName,
      manifest: manifestSchema,
      tasks: z.array(taskSchema).min(1).max(MAX_UNITS),
      /** Other files of the bundle (a training's packed dataset), under data/. */
      files: z
        .array(z.object({ path: z.string().regex(/^data\/[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}$/), text: z.string() }))
        .max(16)
        .optional(),
      slurm: z.object({
        partition: z.string().max(200).optional(),
        time: z.string().max(200),
        mem: z.string().max(200),
        cpus: z.number()
      })
    })
  ]),
  'cluster.read': z.tuple([z.object({ dir: folder })]),
  'cluster.submit': z.tuple([z.object({ dir: folder })]),
  'cluster.status': z.tuple([z.object({ dir: folder })])
} as const

/** Whether this machine can hand a bundle to Slurm itself (sbatch on PATH), and if not, why, in a sentence. */
export type SlurmHere = { available: true } | { available: false; reason: string }

export type FolderChoice = { path: string } | { canceled: true } | { error: string }

export type ClusterExportOutcome =
  | {
      ok: true
      /** The bundle's folder as the other calls take it (relative to the projects folder in a browser). */
      dir: string
      /** The same folder as an absolute path, for the commands shown to the user. */
      fullPath: string
      manifest: BundleManifest
      slurm: SlurmHere
    }
  | {
      ok: false
      error: string
      /** A free folder name beside the one asked for, when that one holds another bundle. */
      suggestedName?: string
    }

export type ClusterReadOutcome =
  | {
      ok: true
      dir: string
      manifest: BundleManifest
      tasks: BundleTask[]
      units: TaskResult['units'][number][]
      /** One sentence per task without a usable result (missing, failed, truncated, foreign). */
      notes: string[]
    }
  | { ok: false; error: string }

export type ClusterSubmitOutcome = { ok: true; message: string; jobId: string } | { ok: false; message: string }

/** A task's state as the status module names it (src-main/cluster/slurmStatus.ts). */
export type ClusterTaskState = 'done' | 'running' | 'pending' | 'stopped' | 'failed' | 'unknown' | 'not-submitted'

/** The array's state as the status module reports it, for people. */
export interface ClusterState {
  /** One row per state that has tasks: how many, and which (ranges such as "0-3, 7"). */
  counts: { state: ClusterTaskState; count: number; tasks: string }[]
  /** Each failed task's cause (at most 20). */
  failed: { index: number; detail: string }[]
  /** What could not be asked (squeue missing, no accounting), one sentence each. */
  notes: string[]
  jobId: string | null
  results: number
  tasks: number
  complete: boolean
  settled: boolean
}
export type ClusterStatusOutcome = { ok: true; state: ClusterState } | { ok: false; error: string }

export interface ClusterOutputs {
  'cluster.chooseFolder': FolderChoice
  'cluster.defaultFolder': { path: string } | { error: string }
  'cluster.export': ClusterExportOutcome
  'cluster.read': ClusterReadOutcome
  'cluster.submit': ClusterSubmitOutcome
  'cluster.status': ClusterStatusOutcome
}
