import type { DatasetResult, DatasetSpec } from '@core/jobs/isingDataset'
import type { NpyArray, ProjectDataset } from './types'

/**
 * A finished dataset job as the project keeps it: the record and its arrays (samples as int8
 * count × Ly × Lx on square and triangular lattices, count × N otherwise; H and Σs per sample).
 * Shared by the app's data store, `blockspin sample --out` and the paper template.
 */
export function datasetRecord(opts: {
  id: string
  name: string
  modelId: string
  spec: DatasetSpec
  seed: number
  result: DatasetResult
  now?: Date
}): { dataset: ProjectDataset; arrays: Record<string, NpyArray> } {
  const { id, spec, result: r } = opts
  const ids = { samples: `${id}.samples`, energy: `${id}.energy`, magnetisation: `${id}.magnetisation` }
  const n = r.energy.length
  const lattice = spec.model.lattice
  const shape = lattice.kind === 'square' || lattice.kind === 'triangular' ? [n, lattice.Ly, lattice.Lx] : [n, r.N]
  const arrays: Record<string, NpyArray> = {}
  if (r.samples) arrays[ids.samples] = { dtype: '|i1', shape, data: r.samples }
  arrays[ids.energy] = { dtype: '<f8', shape: [n], data: r.energy }
  arrays[ids.magnetisation] = { dtype: '<f8', shape: [n], data: r.magnetisation }
  const dataset: ProjectDataset = {
    id,
    name: opts.name,
    modelId: opts.modelId,
    algorithm: spec.algorithm,
    seed: opts.seed,
    samples: n,
    burnIn: r.burnIn,
    thin: r.thin,
    tauInt: r.tauIntSweeps,
    ...(r.thinning ? { thinning: r.thinning } : {}),
    acceptance: r.acceptance,
    createdAt: (opts.now ?? new Date()).toISOString(),
    arrays: r.samples ? ids : { energy: ids.energy, magnetisation: ids.magnetisation },
    summary: JSON.parse(
      JSON.stringify({
        summary: r.summary,
        correlation: r.correlation
          ? {
              x: r.correlation.x ? Array.from(r.correlation.x) : null,
              y: r.correlation.y ? Array.from(r.correlation.y) : null
            }
          : null,
        xi: r.xi,
        tauIntSweeps: r.tauIntSweeps,
        totalSweeps: r.totalSweeps,
        kernel: r.kernel
      })
    ) as Record<string, unknown>
  }
  return { dataset, arrays }
}
