import { z } from 'zod'
import type { JobInfo } from './protocol'
import type { NpyData, ProjectDoc } from './project/types'
import type { ProjectError } from './project/errors'
import { CHANNELS, EVENT_NAMES } from './channels'
import { isKnownJobKind, jobSpecSchemas } from './jobKinds'
import { clusterInputSchemas, type ClusterOutputs } from './clusterContract'

/**
 * THE contract between the renderer and the services behind it. The Electron preload exposes it
 * as `window.blockspin` over IPC; the web host serves it over a WebSocket. Every input is
 * validated with the schema below at the service boundary (main process / web host), and every
 * output type is declared here once.
 */

const id = z.string().min(1).max(200)
const TYPED_ARRAY_CLASSES = [Int8Array, Uint8Array, Int32Array, Uint32Array, Float32Array, Float64Array]
/** Typed arrays of any backing buffer (TypeScript's `ArrayBufferLike` generic, not only `ArrayBuffer`). */
const typedArray = z.custom<NpyData>((v) => TYPED_ARRAY_CLASSES.some((C) => v instanceof C), 'Expected a typed array')
const uint32Array = z.custom<Uint32Array>((v) => v instanceof Uint32Array, 'Expected a Uint32Array')
const uint8Array = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'Expected a Uint8Array')
const npyArray = z.object({
  dtype: z.enum(['|i1', '|u1', '<i4', '<u4', '<f4', '<f8']),
  shape: z.array(z.number().int().min(0)).max(8),
  data: typedArray
})
/** Deep validation of project.json happens in the codec; here only the envelope is checked. */
export const projectDocSchema = z.object({
  project: z.looseObject({ format: z.literal('blockspin'), formatVersion: z.number().int() }),
  arrays: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/), npyArray)
})

/** Where the file-choosing happens: a native dialog (desktop) or the in-app picker (browser). */
export type HostKind = 'electron' | 'web'

export interface AppInfo {
  appName: 'Blockspin'
  version: string
  host: HostKind
  /** True when Open/Save show the operating system's dialogs. */
  nativeDialogs: boolean
  /** Projects folder the web host's picker is rooted at (web only). */
  projectsRoot: string | null
  cores: number
  /** Batch jobs that may run at once: max(1, cores − 1). */
  maxBatchJobs: number
  platform: string
}

export type OpenOutcome =
  /** `path` is null for work opened from bytes (a dropped file): it saves as a new file. */
  | { status: 'opened'; path: string | null; name: string; doc: ProjectDoc; migratedFrom?: number | null }
  | { status: 'canceled' }
  | { status: 'error'; path: string | null; error: ProjectError }

/** The example project shipped with the app, opened as an untitled copy; 'absent' when this copy has none. */
export type ExampleOutcome = OpenOutcome | { status: 'absent' }

export type SaveOutcome =
  | { status: 'saved'; path: string; name: string }
  | { status: 'canceled' }
  | { status: 'error'; path: string | null; error: ProjectError }

export interface RecentEntry {
  path: string
  name: string
  exists: boolean
}

export interface FileEntry {
  /** Path relative to the projects root, '/'-separated. */
  path: string
  name: string
  kind: 'dir' | 'project'
  size: number
  modifiedAt: string
}

export interface RecoveryEntry {
  id: string
  name: string
  /** The file the work belonged to, if it had been saved before. */
  originalPath: string | null
  savedAt: string
}

export type MenuCommand =
  | 'new'
  | 'open'
  | 'save'
  | 'saveAs'
  | 'close'
  | 'closeWindow'
  | 'guide'
  /** Merge a cluster bundle's results into the open project (the cluster store answers it). */
  | 'mergeResults'
  | `openRecent:${string}`

/** A job kind of the map in jobKinds.ts: any other name is refused here, before a job record exists. */
const jobKind = z
  .string()
  .min(1)
  .max(100)
  .refine(isKnownJobKind, {
    error: (issue) =>
      `no job kind is called "${String(issue.input).slice(0, 40)}"; the kinds are ${Object.keys(jobSpecSchemas).join(', ')}`
  })

export const jobStartSchema = z.object({
  kind: jobKind,
  title: z.string().max(200),
  interactive: z.boolean(),
  spec: z.unknown(),
  seed: z.number().int().min(0).max(0xffffffff),
  rngState: uint32Array.optional()
})

export const jobCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('edit'), params: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('step'), count: z.number().int().min(1).max(1_000_000) }),
  z.object({ type: z.literal('reset') }),
  z.object({
    type: z.literal('paint'),
    sites: z.custom<Int32Array>(
      (v) => v instanceof Int32Array && v.length <= 1 << 20,
      'Expected an Int32Array of site indices'
    ),
    values: z.custom<Int8Array>(
      (v) => v instanceof Int8Array && v.length <= 1 << 20,
      'Expected an Int8Array of ±1 values'
    )
  })
])

/** Inputs of every method, by channel name. */
export const inputSchemas = {
  'app.info': z.tuple([]),
  'project.openDialog': z.tuple([]),
  'project.open': z.tuple([z.object({ path: z.string().min(1).max(4096) })]),
  /** A file dropped on the window or picked with the browser's own file input: no path, so the project opens untitled. */
  'project.openBytes': z.tuple([z.object({ name: z.string().max(300), bytes: uint8Array })]),
  /** The bundled example project (no path from the renderer: the services know where it is). */
  'project.openExample': z.tuple([]),
  'project.save': z.tuple([
    z.object({
      doc: projectDocSchema,
      /** null → ask where (dialog or picker path must then be given as `path`). */
      path: z.string().min(1).max(4096).nullable(),
      saveAs: z.boolean()
    })
  ]),
  'project.recent': z.tuple([]),
  'files.list': z.tuple([z.object({ dir: z.string().max(4096) })]),
  'files.mkdir': z.tuple([z.object({ dir: z.string().min(1).max(4096) })]),
  'recovery.save': z.tuple([
    z.object({
      key: id,
      name: z.string().max(200),
      originalPath: z.string().max(4096).nullable(),
      doc: projectDocSchema
    })
  ]),
  'recovery.list': z.tuple([]),
  'recovery.load': z.tuple([z.object({ id })]),
  'recovery.discard': z.tuple([z.object({ id })]),
  'window.setState': z.tuple([z.object({ title: z.string().max(300), dirty: z.boolean() })]),
  'jobs.start': z.tuple([jobStartSchema]),
  'jobs.control': z.tuple([z.object({ jobId: id, action: z.enum(['pause', 'resume', 'cancel']) })]),
  'jobs.command': z.tuple([z.object({ jobId: id, command: jobCommandSchema })]),
  'jobs.snapshot': z.tuple([z.object({ jobId: id })]),
  'jobs.list': z.tuple([]),
  'jobs.dismiss': z.tuple([z.object({ jobId: id })]),
  ...clusterInputSchemas
} as const satisfies Record<(typeof CHANNELS)[number], z.ZodType>

export type Channel = (typeof CHANNELS)[number]
export type Inputs<C extends Channel> = z.infer<(typeof inputSchemas)[C]>

/** Outputs of every method, by channel name. */
export interface Outputs extends ClusterOutputs {
  'app.info': AppInfo
  'project.openDialog': OpenOutcome
  'project.open': OpenOutcome
  'project.openBytes': OpenOutcome
  'project.openExample': ExampleOutcome
  'project.save': SaveOutcome
  'project.recent': RecentEntry[]
  'files.list': { dir: string; entries: FileEntry[] } | { error: string }
  'files.mkdir': { ok: true } | { error: string }
  'recovery.save': { ok: true } | { error: string }
  'recovery.list': RecoveryEntry[]
  'recovery.load': OpenOutcome
  'recovery.discard': { ok: true }
  'window.setState': void
  'jobs.start': { jobId: string }
  'jobs.control': { ok: boolean }
  'jobs.command': { ok: boolean }
  'jobs.snapshot': { ok: true; data: unknown } | { ok: false; error: string }
  'jobs.list': JobInfo[]
  'jobs.dismiss': { ok: boolean }
}

/** Events pushed from the services to the renderer. */
export interface Events {
  'jobs.update': JobInfo
  'jobs.frame': { jobId: string; frame: unknown }
  'jobs.result': { jobId: string; result: unknown; cancelled: boolean }
  menu: { command: MenuCommand }
}
export type EventName = (typeof EVENT_NAMES)[number]

export const channels: readonly Channel[] = CHANNELS
export const eventNames: readonly EventName[] = EVENT_NAMES

// Compile-time check that the event list and the Events map name the same things.
type _EventsAgree = [EventName] extends [keyof Events] ? ([keyof Events] extends [EventName] ? true : never) : never
const _eventsAgree: _EventsAgree = true
void _eventsAgree

/** window.blockspin, and the web client: one function per channel, plus event subscription. */
export type BlockspinApi = {
  [C in Channel]: (...args: Inputs<C>) => Promise<Outputs[C]>
} & {
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void
}

/** Validate a call's arguments; returns a readable error instead of throwing. */
export function validateInput<C extends Channel>(
  channel: C,
  args: unknown
): { ok: true; args: Inputs<C> } | { ok: false; error: string } {
  const schema = isChannel(channel) ? inputSchemas[channel] : undefined
  if (!schema) return { ok: false, error: `Unknown channel "${String(channel)}".` }
  const parsed = schema.safeParse(args)
  if (parsed.success) return { ok: true, args: parsed.data as Inputs<C> }
  const first = parsed.error.issues[0]
  return {
    ok: false,
    error: `Invalid arguments for ${channel}: ${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'rejected'}.`
  }
}

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(inputSchemas, name)
}

/** A service-side implementation of the contract, independent of the transport. */
export type ApiHandlers = { [C in Channel]: (...args: Inputs<C>) => Promise<Outputs[C]> }
