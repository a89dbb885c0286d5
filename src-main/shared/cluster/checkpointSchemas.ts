import { z } from 'zod'
import { datasetSpecSchema } from '../jobSpecSchemas'
import { count, finite, float64Array, int8Array, positive, rngState } from '../jobSpecFields'
import { rgMcrgSpecSchema } from '../rgJobSpecSchemas'

/**
 * The state a dataset shard ('ising.datasetShard') or an MCRG chain ('rg.mcrgSums') hands back
 * when stopped half-way, as the job specs that resume from it and a bundle's checkpoint file
 * carry it (src-core/jobs/datasetCheckpoint.ts, rgSampling.ts). Shapes only: whether a state
 * fits its spec (lengths, sweeps) the runners check when they start.
 */

/** src-core/ising/torus/chain ChainState. */
export const chainStateSchema = z.object({
  spins: int8Array,
  rngState,
  counters: z.record(z.string().max(40), finite).refine((c) => Object.keys(c).length <= 16, 'Expected a few counters')
})

const nullableSeries = float64Array.nullable()

/** src-core/jobs/datasetCheckpoint MeasurementState. */
const measurementStateSchema = z.object({
  count,
  H: float64Array,
  M: float64Array,
  absM: float64Array,
  M2: float64Array,
  SkX: nullableSeries,
  SkY: nullableSeries,
  siteSum: nullableSeries,
  pairX: nullableSeries,
  pairY: nullableSeries
})

const pilotThinningSchema = z.object({
  pilotSweeps: positive,
  pilotMaxSweeps: positive,
  reliable: z.boolean(),
  tauSweeps: z.object({ e: z.number(), m: z.number(), absM: z.number() }),
  setBy: z.enum(['e', 'm', 'absM'])
})

/** src-core/jobs/datasetCheckpoint DatasetCheckpoint. */
export const datasetCheckpointSchema = z.object({
  version: z.literal(1),
  done: count,
  burnIn: count,
  thin: positive.nullable(),
  thinning: pilotThinningSchema.nullable(),
  sampled: count,
  stored: count,
  chain: chainStateSchema,
  samples: int8Array.nullable(),
  energy: float64Array,
  magnetisation: float64Array,
  measurements: measurementStateSchema.nullable()
})

/** src-core/jobs/rgSampling TorusSamplingState. */
export const samplingStateSchema = z.object({
  version: z.literal(1),
  done: count,
  taken: count,
  samples: int8Array,
  chain: chainStateSchema
})

/** src-core/jobs/datasetShard DatasetShardSpec. */
export const datasetShardSpecSchema = datasetSpecSchema.extend({
  resume: datasetCheckpointSchema.optional(),
  checkpointMs: count.optional()
})

/** src-core/jobs/rgMcrgSums RgMcrgSumsSpec. */
export const rgMcrgSumsSpecSchema = rgMcrgSpecSchema.extend({
  resume: samplingStateSchema.optional(),
  checkpointMs: count.optional()
})
