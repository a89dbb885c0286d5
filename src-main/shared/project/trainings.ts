import { z } from 'zod'
import type { MonitorRecord } from '@core/jobs/rbmTrainCheckpoint'
import type { TrainingOptions } from '@core/rbm/optimizer'
import type { UnitKind } from '@core/rbm/types'
import { renameLegacyChi } from './monitorKeys'

/**
 * What a training record of project.json holds besides its configuration, typed: the options it
 * trains with, the monitor choices, its history (the per-epoch monitors) and the scalars of its
 * checkpoint, with the zod schemas that read them. The record itself is schema/v2.ts's
 * trainingV2; the arrays and checkpoints are trainingArrays.ts, the data split and the physical
 * lattice check trainingData.ts. The app's stores and `blockspin rbm train` both write through
 * these, so a network trained by either opens in the other with its curves.
 *
 * These shapes are part of format 2: change them only with a new format version (migrations.ts).
 */

const finite = z.number().finite()
const count = z.number().int().min(0)
const positive = z.number().int().min(1)
const unitKind = z.enum(['01', 'pm1'])

/** JSON writes NaN and ±Infinity as null; they are read back as NaN (readers treat both as missing). */
const jsonNumber = z
  .preprocess((v) => (typeof v === 'number' && Number.isNaN(v) ? null : v), z.number().nullable())
  .transform((v) => v ?? NaN)

// ── Options (src-core/rbm/optimizer.ts TrainingOptions) ────────────────────────────────────

const learningRateSchema = z.union([
  finite,
  z.discriminatedUnion('schedule', [
    z.looseObject({ schedule: z.literal('constant'), initial: finite }),
    z.looseObject({ schedule: z.literal('exponential'), initial: finite, decay: finite }),
    z.looseObject({ schedule: z.literal('step'), initial: finite, factor: finite, every: positive })
  ])
])

const rbmInitSchema = z.discriminatedUnion('kind', [
  z.looseObject({ kind: z.literal('normal'), scale: finite }),
  z.looseObject({ kind: z.literal('zero') }),
  z.looseObject({ kind: z.literal('xavier') })
])

/** The options a training's layers are trained with; their values are checked by trainingOptionsProblems. */
export const trainingOptionsSchema = z.looseObject({
  method: z.enum(['cd', 'pcd', 'exact']),
  /** 0 is allowed with method 'exact', which takes no Gibbs steps (trainingOptionsProblems). */
  k: count,
  epochs: count,
  batchSize: positive,
  learningRate: learningRateSchema,
  momentum: z.looseObject({ initial: finite, final: finite, switchEpoch: count }),
  l1: finite,
  l2: finite,
  persistentChains: positive.optional(),
  shuffle: z.boolean(),
  negativeVisible: z.enum(['probabilities', 'samples']).optional(),
  init: rbmInitSchema.optional()
})

// ── Monitor choices ────────────────────────────────────────────────────────────────────────

export type LogLikelihoodMonitor = 'auto' | 'ais' | 'off'

/** Monitor choices stored with a training (the record's `monitors`). */
export interface TrainingMonitorChoice {
  logLikelihood: LogLikelihoodMonitor
  /** e, |m|, c, χ′ = N(⟨m²⟩ − ⟨|m|⟩²) of RBM samples against the data (see trainingData.ts physicalLattice). */
  physical: boolean
}

export const trainingMonitorChoiceSchema = z.looseObject({
  logLikelihood: z.enum(['auto', 'ais', 'off']),
  physical: z.boolean()
})

// ── History (src-core/jobs/rbmTrain.ts MonitorRecord, src-core/rbm/monitors.ts MonitorValues) ──

const estimate = z.looseObject({ value: jsonNumber, error: jsonNumber })
// chiAbs was saved as chi before the two χ conventions had one name each (monitorKeys.ts).
const isingObservables = z.preprocess(
  renameLegacyChi,
  z.looseObject({
    e: estimate,
    absM: estimate,
    c: estimate,
    chiAbs: estimate,
    samples: count,
    groups: count
  })
)

const monitorValuesSchema = z.looseObject({
  reconstructionError: jsonNumber.optional(),
  pseudoLikelihood: jsonNumber.optional(),
  logLikelihood: jsonNumber.optional(),
  logLikelihoodHeldOut: jsonNumber.optional(),
  logZ: jsonNumber.optional(),
  logZStderr: jsonNumber.optional(),
  logZMethod: z.enum(['exact', 'ais']).optional(),
  freeEnergy: jsonNumber.optional(),
  freeEnergyGap: z.looseObject({ train: jsonNumber, heldOut: jsonNumber, gap: jsonNumber }).optional(),
  kl: jsonNumber.optional(),
  physical: z
    .looseObject({ model: isingObservables, data: isingObservables, zE: jsonNumber, zAbsM: jsonNumber })
    .optional(),
  notes: z.array(z.string()).default([])
})

/** Layer from 0, epoch from 1 (the number of epochs done when the monitors were taken). */
export const monitorRecordSchema = z.looseObject({ layer: count, epoch: count, monitors: monitorValuesSchema })

/** A training's saved history: its monitors per epoch, and the arithmetic that trained it once done. */
export interface TrainingHistory {
  records: MonitorRecord[]
  /** As RbmTrainingCheckpoint.arithmetic; kept here when the training is done (no checkpoint). */
  arithmetic?: string[]
}

const historyRecordsSchema = z.looseObject({
  records: z.array(monitorRecordSchema),
  arithmetic: z.array(z.string()).optional()
})

/**
 * The history as `blockspin rbm train` wrote it before it wrote records: one series per layer
 * (from 1) and numeric monitor, {"layer1:reconstructionError": [epoch 1, epoch 2, …], …}, with
 * every epoch present (the monitors are the same each epoch of a layer). A `layer<l>:epoch`
 * series, as job frames carry, gives the epochs; otherwise they are 1, 2, ….
 */
export const LEGACY_SERIES_KEY = /^layer([1-9]\d{0,4}):([A-Za-z][A-Za-z0-9]*)$/
const legacySeriesSchema = z.record(z.string().regex(LEGACY_SERIES_KEY), z.array(z.number().nullable()))

/** Records from per-layer series (see legacySeriesSchema), by layer then epoch. */
export function recordsFromSeries(series: Record<string, (number | null)[]>): MonitorRecord[] {
  const byLayer = new Map<number, Map<string, (number | null)[]>>()
  for (const [key, values] of Object.entries(series)) {
    const match = LEGACY_SERIES_KEY.exec(key)
    if (!match) continue
    const layer = Number(match[1]) - 1
    const keys = byLayer.get(layer) ?? new Map<string, (number | null)[]>()
    keys.set(match[2]!, values)
    byLayer.set(layer, keys)
  }
  const records: MonitorRecord[] = []
  for (const layer of [...byLayer.keys()].sort((a, b) => a - b)) {
    const keys = byLayer.get(layer)!
    const epochs = keys.get('epoch')
    keys.delete('epoch')
    const length = Math.max(epochs?.length ?? 0, ...[...keys.values()].map((v) => v.length))
    for (let k = 0; k < length; k++) {
      const epoch = epochs?.[k]
      const monitors: MonitorRecord['monitors'] = { notes: [] }
      for (const [name, values] of keys) {
        if (k < values.length) Object.assign(monitors, { [name]: values[k] ?? NaN })
      }
      records.push({ layer, epoch: typeof epoch === 'number' ? epoch : k + 1, monitors })
    }
  }
  return records
}

/**
 * A training's history in either shape it was ever written in, read as records. The per-layer
 * series are normalised here rather than by a migration: they are format 2 too (written by the
 * command line while the app wrote records), so there is no version to migrate from.
 */
export const trainingHistorySchema = z.preprocess((history) => {
  if (typeof history !== 'object' || history === null || 'records' in history) return history
  const series = legacySeriesSchema.safeParse(history)
  return series.success ? { records: recordsFromSeries(series.data) } : history
}, historyRecordsSchema)

/** The history to save: records, and the arithmetic when known. */
export function trainingHistory(records: MonitorRecord[], arithmetic: readonly string[] = []): TrainingHistory {
  return { records, ...(arithmetic.length ? { arithmetic: arithmetic.slice() } : {}) }
}

// ── Checkpoint scalars (the arrays are trainingArrays.ts's) ─────────────────────────────────

/** What a paused training's checkpoint keeps in project.json: where it is, and how it trains. */
export interface TrainingCheckpointScalars {
  version: 1
  /** Layer being trained (from 0). */
  layer: number
  /** Epochs done and minibatches done of the current epoch, of that layer. */
  epoch: number
  batchIndex: number
  options: TrainingOptions
  /** Visible and hidden unit kinds of every layer up to the current one. */
  units: [UnitKind, UnitKind][]
  /** As RbmTrainingCheckpoint.arithmetic; absent in checkpoints from before it was recorded. */
  arithmetic?: string[]
}

export const trainingCheckpointScalarsSchema = z.looseObject({
  version: z.literal(1),
  layer: count,
  epoch: count,
  batchIndex: count,
  options: trainingOptionsSchema,
  units: z.array(z.tuple([unitKind, unitKind])),
  arithmetic: z.array(z.string()).optional()
})

// Compile-time guards: what the schemas accept is what the types say.
const _options: (o: z.infer<typeof trainingOptionsSchema>) => TrainingOptions = (o) => o
const _history: (h: z.infer<typeof trainingHistorySchema>) => TrainingHistory = (h) => h
const _scalars: (s: z.infer<typeof trainingCheckpointScalarsSchema>) => TrainingCheckpointScalars = (s) => s
const _choice: (c: z.infer<typeof trainingMonitorChoiceSchema>) => TrainingMonitorChoice = (c) => c
void [_options, _history, _scalars, _choice]
