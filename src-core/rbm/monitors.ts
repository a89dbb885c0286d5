import type { Rng } from '../random/rng'
import { annealedImportanceLogZ } from './ais'
import {
  EXACT_MAX_DISTRIBUTION_UNITS,
  exactKlDivergence,
  exactLogLikelihood,
  exactLogPartition,
  type DataDistribution
} from './exact'
import {
  compareIsingObservables,
  type IsingComparison,
  type IsingLattice,
  type RbmSamplingOptions
} from './isingMonitors'
import { tsDenseKernels } from './kernelsTs'
import {
  freeEnergyGap,
  meanFreeEnergy,
  pseudoLogLikelihood,
  reconstructionError,
  type FreeEnergyGap
} from './likelihood'
import { unitOff } from './math'
import type { Batch, DenseKernels, Rbm } from './types'

/**
 * Per-epoch training monitors (Hinton 2010 §§5–6):
 *  - reconstruction error with h = E[h|v] (deterministic; likelihood.ts);
 *  - pseudo-likelihood, exact (all nv conditionals) or stochastic (one unit per row; Besag 1975);
 *  - log-likelihood per example: exact when the smaller layer has ≤ 20 units ('auto'), else by
 *    AIS (Salakhutdinov & Murray 2008) with a small schedule when asked ('ais'), with its error bar;
 *  - free energy of a training subset against held-out data (the overfitting gap);
 *  - exact KL(P‖p_λ) when the data distribution P is given (small nv);
 *  - for Ising data on a lattice, e, |m|, c, χ of RBM samples against the data's (isingMonitors.ts).
 * Monitors use at most `maxRows` rows of each set (the first ones). The likelihood-type monitors
 * and the physical ones need configurations (on/off values); for probability-valued data (a
 * deeper layer fed hidden probabilities) they are skipped and a note says so.
 *
 * Random draws, in order: stochastic pseudo-likelihood (one per row), AIS, physical chains.
 */

export interface MonitorSettings {
  /** Default true. */
  reconstruction?: boolean
  /** Default 'stochastic'. */
  pseudoLikelihood?: 'exact' | 'stochastic' | 'off'
  /** Default 'auto': exact when min(nv, nh) ≤ 20, otherwise skipped. */
  logLikelihood?: 'auto' | 'exact' | 'ais' | 'off'
  /** AIS schedule for logLikelihood 'ais' (defaults 16 chains, 1000 intermediate β). */
  ais?: { chains?: number; intermediate?: number }
  /** Default true (needs held-out data). */
  freeEnergyGap?: boolean
  /** Default 1000. */
  maxRows?: number
  dataDistribution?: DataDistribution
  physical?: { lattice: IsingLattice } & Omit<RbmSamplingOptions, 'rng' | 'kernels'> & { dataGroups?: number }
}

export interface MonitorValues {
  reconstructionError?: number
  pseudoLikelihood?: number
  /** Mean ln p(v) over the (monitored) training rows, and over held-out rows. */
  logLikelihood?: number
  logLikelihoodHeldOut?: number
  logZ?: number
  logZStderr?: number
  logZMethod?: 'exact' | 'ais'
  /** Mean free energy of the training rows (always computed). */
  freeEnergy?: number
  freeEnergyGap?: FreeEnergyGap
  kl?: number
  physical?: IsingComparison
  notes: string[]
}

export interface MonitorContext {
  heldOut?: Batch
  rng: Rng
  kernels?: DenseKernels
}

export const LOG_LIKELIHOOD_EXACT_MAX_UNITS = EXACT_MAX_DISTRIBUTION_UNITS

/** The first `rows` rows of a batch (a view, no copy). */
export function headRows(batch: Batch, rows: number): Batch {
  const n = Math.min(rows, batch.rows)
  return { rows: n, cols: batch.cols, data: batch.data.subarray(0, n * batch.cols) }
}

/** True when every entry is the unit's on or off value. */
export function isConfigurationBatch(batch: Batch, rbm: Rbm): boolean {
  const off = unitOff(rbm.visibleUnits)
  return batch.data.every((x) => x === 1 || x === off)
}

export function computeMonitors(
  rbm: Rbm,
  train: Batch,
  settings: MonitorSettings,
  context: MonitorContext
): MonitorValues {
  const kernels = context.kernels ?? tsDenseKernels
  const maxRows = settings.maxRows ?? 1000
  const t = headRows(train, maxRows)
  const held = context.heldOut ? headRows(context.heldOut, maxRows) : undefined
  const out: MonitorValues = { notes: [] }
  const binary = isConfigurationBatch(t, rbm)
  const heldBinary = held ? isConfigurationBatch(held, rbm) : false

  if (settings.reconstruction ?? true)
    out.reconstructionError = reconstructionError(rbm, t, { hidden: 'mean', kernels })
  out.freeEnergy = meanFreeEnergy(rbm, t, kernels)

  const pl = settings.pseudoLikelihood ?? 'stochastic'
  if (pl !== 'off') {
    if (!binary) out.notes.push('pseudo-likelihood skipped: the rows are probabilities, not configurations')
    else
      out.pseudoLikelihood = pseudoLogLikelihood(
        rbm,
        t,
        pl === 'exact' ? { mode: 'exact' } : { mode: 'stochastic', rng: context.rng },
        undefined,
        kernels
      )
  }

  const ll = settings.logLikelihood ?? 'auto'
  const small = Math.min(rbm.nv, rbm.nh) <= LOG_LIKELIHOOD_EXACT_MAX_UNITS
  if (ll !== 'off' && !(ll === 'auto' && !small)) {
    if (ll === 'ais' || (ll === 'exact' && !small)) {
      if (ll === 'exact')
        out.notes.push(`exact log-likelihood needs min(nv, nh) ≤ ${LOG_LIKELIHOOD_EXACT_MAX_UNITS}; using AIS`)
      const ais = annealedImportanceLogZ(rbm, {
        rng: context.rng,
        chains: settings.ais?.chains ?? 16,
        schedule: { kind: 'linear', intermediate: settings.ais?.intermediate ?? 1000 },
        base: binary ? { data: t } : 'zero',
        kernels
      })
      out.logZ = ais.logZ
      out.logZStderr = ais.stderr
      out.logZMethod = 'ais'
    } else {
      out.logZ = exactLogPartition(rbm)
      out.logZStderr = 0
      out.logZMethod = 'exact'
    }
    if (binary) out.logLikelihood = exactLogLikelihood(rbm, t, { logZ: out.logZ })
    else out.notes.push('log-likelihood of the rows skipped: they are probabilities, not configurations')
    if (held && heldBinary) out.logLikelihoodHeldOut = exactLogLikelihood(rbm, held, { logZ: out.logZ })
  }

  if ((settings.freeEnergyGap ?? true) && held) {
    const trainSubset = headRows(t, held.rows)
    out.freeEnergyGap = freeEnergyGap(rbm, trainSubset, held, kernels)
  }

  if (settings.dataDistribution) {
    out.kl = exactKlDivergence(rbm, settings.dataDistribution, out.logZMethod === 'exact' ? { logZ: out.logZ } : {}).kl
  }

  if (settings.physical) {
    const { lattice, ...sampling } = settings.physical
    if (rbm.nv !== lattice.Lx * lattice.Ly)
      out.notes.push(`physical monitors skipped: ${rbm.nv} visible units are not a ${lattice.Lx}×${lattice.Ly} lattice`)
    else if (!binary) out.notes.push('physical monitors skipped: the rows are not spin configurations')
    else out.physical = compareIsingObservables(rbm, t, lattice, { ...sampling, rng: context.rng, kernels })
  }
  return out
}
