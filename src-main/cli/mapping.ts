import { computeMapping, type MappingResult, type MappingSpec } from '@core/jobs/mapping'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import type { CouplingRow } from '@core/rg/couplingTable'
import { numberOption, parseCommandLine, UsageError } from '../services/args'
import { modelFromArgs } from './modelArgs'
import { readNpzRbm } from './rbm'

type Out = { log: (s: string) => void; err: (s: string) => void }

export const MAPPING_USAGE = `Usage: blockspin mapping --preset decimation-1d|lin-tegmark|block-2x2 [options] [--json]
       blockspin mapping --preset rbm --weights FILE.npz [--units 01|pm1] [model options] [--json]

The exact RG ↔ RBM mapping (Mehta & Schwab Eqs. 6–22) by enumeration, residuals reported:
  decimation-1d  a ring of 2M spins (--K 0.8 --h 0.3 --M 6) decimated as the δ-kernel
                 e^T = Π δ(h_j, v_2j) and as the exact RBM E = −K Σ v_j (h_j + h_j+1) − h Σ v − h Σ h;
                 traceResidual and deltaF are the δ-kernel's, maxHDiff compares the RBM's
                 H^RBM(h) with the coarse Hamiltonian the recursion gives.
  lin-tegmark    the counterexample T = Kadanoff(λ) + a·m(v) − ln⟨e^{a·m}⟩ on the 4×4 torus
                 (--K 0.3 --a 1 --lambda 1): ΔF = 0 while Tr_h e^T ≠ 1.
  block-2x2      an RBM with one ±1 hidden unit per 2×2 block of the 4×4 torus (--K 0.3), trained by
                 the exact gradient (--epochs 200 --seed S), against majority and Kadanoff RG;
                 maxHDiff = max |H^RG − H^RBM| of its implied kernel T = H − E (Eq. 21).
  rbm            any RBM (W visible × hidden, a, b in a NumPy .npz, ML convention; 'rbm --help')
                 over a small model (--lattice square:3x3 --K 0.4, or --model FILE#id; N ≤ 24,
                 at most 16 hidden units): every identity of the mapping and KL(P‖p).
JSON: {"preset", "deltaF", "traceResidual", "maxHDiff"?, "kl"?, … , "couplings": {…}}.
Couplings are the expansion H(h) = Σ_S J_S Π_{j∈S} h_j (ferromagnetic pairs: J < 0).`

const fmt = (v: number | undefined) =>
  v === undefined ? '—' : Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(3) : v.toFixed(6)

function couplingLines(title: string, rows: CouplingRow[] | undefined, limit = 8): string[] {
  if (!rows) return []
  return [
    title,
    ...rows
      .slice(0, limit)
      .map(
        (r) =>
          `  ${r.shape.padEnd(12)} J = ${fmt(r.value).padStart(12)}  ×${r.count}${r.spread > 1e-9 ? `  (spread ${fmt(r.spread)})` : ''}`
      )
  ]
}

/** blockspin mapping --preset …: the mapping's residuals for a worked example. */
export async function mappingCommand(args: string[], out: Out): Promise<number> {
  let spec: MappingSpec
  let seed: number
  let json: boolean
  try {
    const { opts } = parseCommandLine(args, {
      flags: ['--json', '--open'],
      valued: [
        '--preset',
        '--K',
        '--h',
        '--M',
        '--a',
        '--lambda',
        '--epochs',
        '--seed',
        '--weights',
        '--units',
        '--lattice',
        '--model'
      ]
    })
    json = opts['--json'] === true
    seed = numberOption(opts, '--seed', { integer: true, min: 0, max: 2 ** 32 - 1 }, 1)
    const preset = opts['--preset']
    if (preset === 'decimation-1d') {
      spec = {
        preset,
        K: numberOption(opts, '--K', { min: -10, max: 10 }, 0.8),
        h: numberOption(opts, '--h', { min: -10, max: 10 }, 0.3),
        M: numberOption(opts, '--M', { integer: true, min: 3, max: 12 }, 6)
      }
    } else if (preset === 'lin-tegmark') {
      spec = {
        preset,
        K: numberOption(opts, '--K', { min: -2, max: 2 }, 0.3),
        a: numberOption(opts, '--a', { min: -20, max: 20 }, 1),
        lambda: numberOption(opts, '--lambda', { min: 0, max: 100 }, 1)
      }
    } else if (preset === 'rbm') {
      if (typeof opts['--weights'] !== 'string') throw new UsageError('--preset rbm needs --weights FILE.npz.')
      const units = opts['--units'] ?? '01'
      if (units !== '01' && units !== 'pm1') throw new UsageError(`--units must be 01 or pm1, not "${String(units)}".`)
      const m = await modelFromArgs({
        lattice: opts['--lattice'] as string | undefined,
        K: opts['--K'] as string | undefined,
        h: opts['--h'] as string | undefined,
        model: opts['--model'] as string | undefined,
        open: opts['--open'] === true
      })
      if (!m.ok) throw new UsageError(`${m.error}.`)
      const rbm = await readNpzRbm(opts['--weights'], units)
      if (typeof rbm === 'string') throw new UsageError(`${rbm}.`)
      spec = { preset, model: m.data, rbm }
    } else if (preset === 'block-2x2') {
      spec = {
        preset,
        K: numberOption(opts, '--K', { min: -2, max: 2 }, 0.3),
        epochs: numberOption(opts, '--epochs', { integer: true, min: 1, max: 100_000 }, 200)
      }
    } else
      throw new UsageError(
        `--preset must be decimation-1d, lin-tegmark, block-2x2 or rbm${typeof preset === 'string' ? `, not "${preset}"` : ''}.`
      )
  } catch (e) {
    if (e instanceof UsageError) return (out.err(`${e.message}\n\n${MAPPING_USAGE}`), 2)
    throw e
  }
  let r: MappingResult
  try {
    r = computeMapping(spec, xoshiro128ss(seed))
  } catch (e) {
    return (out.err(`${(e as Error).message}.`), 2)
  }
  if (json) {
    out.log(
      JSON.stringify(
        {
          preset: r.preset,
          title: r.title,
          ...r.summary,
          ...(r.flow ? { flow: r.flow } : {}),
          ...(r.units ? { units: r.units } : {}),
          couplings: r.couplings
        },
        null,
        2
      )
    )
    return 0
  }
  const s = r.summary
  out.log(`${r.preset}: ${r.title}`)
  out.log(`  ΔF = F^h − F^v          ${fmt(s.deltaF)}`)
  out.log(`  trace residual          ${fmt(s.traceResidual)}   (max_v |ln Tr_h e^T|; exact RG needs 0, Eq. 9)`)
  if (s.maxHDiff !== undefined) out.log(`  max |H^RG − H^RBM|      ${fmt(s.maxHDiff)}`)
  if (s.kl !== undefined) out.log(`  KL(P‖p)                 ${fmt(s.kl)}`)
  if (s.traceResidualNormalised !== undefined) out.log(`  max_v |ln P − ln p|     ${fmt(s.traceResidualNormalised)}`)
  for (const line of [
    ...couplingLines('Coarse couplings, H^RG:', r.couplings.rg),
    ...couplingLines('Coarse couplings, H^RBM:', r.couplings.rbm),
    ...couplingLines('Coarse couplings, majority rule:', r.couplings.majority)
  ])
    out.log(line)
  return 0
}
