import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { RbmTrainingResult, RbmTrainingSpec } from '@core/jobs/rbmTrain'
import { HINTON_SALAKHUTDINOV, type TrainingOptions } from '@core/rbm/optimizer'
import { packageInfo } from '../services/packageInfo'
import { atomicWriteFile } from '../services/atomicWrite'
import { decodeProject, encodeProject } from './codec'
import { describeProjectError } from '@shared/project/errors'
import { nextId } from '@shared/project/model'
import { dbnToArrays } from '@shared/project/trainingArrays'
import { jobMonitors } from '@shared/project/trainingSpec'
import { physicalLattice, sampleShape, splitSamples } from '@shared/project/trainingData'
import { trainingHistory } from '@shared/project/trainings'
import type { TrainingV2 } from '@shared/project/types'
import { numberOption, parseOptions, UsageError } from '../services/args'
import { runJobWithProgress } from './jobRun'

type Out = { log: (s: string) => void; err: (s: string) => void }

export const RBM_TRAIN_USAGE = `Usage: blockspin rbm train --data FILE.blockspin [--dataset ID] --layers 400,100,25
                          [--units 01|pm1] [--method cd|pcd|exact] [--k K] [--epochs N]
                          [--batch N] [--lr R] [--l1 R] [--l2 R] [--pass-up probabilities|samples]
                          [--held-out FRACTION] [--seed S] [--out FILE.blockspin] [--json]

Trains an RBM, or a deep belief network layer by layer, on a dataset of the project (its stored
configurations). Defaults are the Hinton–Salakhutdinov code's, which the paper used: CD-1,
learning rate 0.1, momentum 0.5 then 0.9 after epoch 5, init 0.1·N(0,1), minibatch 100, {0,1}
units, hidden probabilities passed up, L1 penalty 2·10⁻⁴ (epochs default 200). The trained
weights are stored in the project (to --out, or back into FILE) in the ML convention
E = −aᵀv − bᵀh − vᵀWh (the paper's w = −W).`

export async function rbmTrainCommand(args: string[], out: Out): Promise<number> {
  const { opts, error } = parseOptions(
    args,
    ['--json'],
    [
      '--data',
      '--dataset',
      '--layers',
      '--units',
      '--method',
      '--k',
      '--epochs',
      '--batch',
      '--lr',
      '--l1',
      '--l2',
      '--pass-up',
      '--held-out',
      '--seed',
      '--out'
    ]
  )
  if (error) return (out.err(`${error}\n\n${RBM_TRAIN_USAGE}`), 2)
  const file = opts['--data'] as string | undefined
  if (!file) return (out.err(`Name the project with --data FILE.blockspin.\n\n${RBM_TRAIN_USAGE}`), 2)
  const layers = String(opts['--layers'] ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number)
  if (!layers.length || layers.some((n) => !Number.isInteger(n) || n < 1 || n > 65536))
    return (out.err('--layers must list hidden layer sizes, as in 400,100,25.'), 2)
  const units = (opts['--units'] ?? '01') as string
  if (units !== '01' && units !== 'pm1') return (out.err(`--units must be 01 or pm1, not "${units}".`), 2)
  const passUp = (opts['--pass-up'] ?? 'probabilities') as string
  if (passUp !== 'probabilities' && passUp !== 'samples')
    return (out.err('--pass-up must be probabilities or samples.'), 2)
  /** The first number option that breaks its rule, as a sentence (services/args.ts). */
  let badNumber: string | null = null
  const num = (name: string, fallback: number, integer: boolean, min: number): number => {
    try {
      return numberOption(opts, name, { integer, min }, fallback)
    } catch (e) {
      if (!(e instanceof UsageError)) throw e
      badNumber ??= e.message
      return NaN
    }
  }
  const training: TrainingOptions = {
    ...HINTON_SALAKHUTDINOV,
    method: (opts['--method'] ?? 'cd') as TrainingOptions['method'],
    k: num('--k', 1, true, 1),
    epochs: num('--epochs', HINTON_SALAKHUTDINOV.epochs, true, 1),
    batchSize: num('--batch', 100, true, 1),
    learningRate: num('--lr', 0.1, false, 0),
    l1: num('--l1', 2e-4, false, 0),
    l2: num('--l2', 0, false, 0)
  }
  const heldOut = num('--held-out', 0.1, false, 0)
  const seed = num('--seed', 1, true, 0)
  if (!['cd', 'pcd', 'exact'].includes(training.method)) return (out.err('--method must be cd, pcd or exact.'), 2)
  if (badNumber !== null) return (out.err(badNumber), 2)
  if (heldOut >= 0.9) return (out.err(`--held-out must be below 0.9, not "${String(opts['--held-out'])}".`), 2)

  let bytes: Uint8Array
  try {
    bytes = new Uint8Array(await readFile(file))
  } catch {
    return (out.err(`${file} could not be read.`), 2)
  }
  const decoded = decodeProject(bytes)
  if (!decoded.ok) return (out.err(`${file}: ${describeProjectError(decoded.error)}`), 2)
  const doc = decoded.doc
  const p = doc.project
  const dataset = opts['--dataset']
    ? p.datasets.find((d) => d.id === opts['--dataset'])
    : p.datasets.find((d) => d.arrays.samples)
  if (!dataset)
    return (
      out.err(
        `${file} has no dataset${opts['--dataset'] ? ` "${String(opts['--dataset'])}"` : ' with stored configurations'}.`
      ),
      2
    )
  const samples = dataset.arrays.samples ? doc.arrays[dataset.arrays.samples] : undefined
  if (!samples || !(samples.data instanceof Int8Array))
    return (out.err(`Dataset "${dataset.id}" kept no configurations to train on.`), 2)
  const { cols } = sampleShape(samples)
  let split: ReturnType<typeof splitSamples>
  try {
    split = splitSamples(samples, units, heldOut)
  } catch (e) {
    return (out.err(`Dataset "${dataset.id}": ${(e as Error).message}.`), 2)
  }
  // The physical monitors only where e = −KΣss/N is ⟨H⟩/N (trainingData.ts, as in the app).
  const lattice = physicalLattice(
    p.models.find((m) => m.id === dataset.modelId),
    cols
  )
  const spec: RbmTrainingSpec = {
    ...split,
    dataUnits: units,
    layers: layers.map((nh) => ({ nh, hiddenUnits: units })),
    options: { training, passUp, visibleUnits: units },
    // The app's monitors (shared/project/trainingSpec.ts), so a CLI training costs what the app's does.
    monitors: jobMonitors({ logLikelihood: 'auto', physical: lattice !== null }, lattice, training.epochs),
    ...(lattice ? { lattice } : {})
  }

  const r = await runJobWithProgress<RbmTrainingResult>(
    'rbm.train',
    'training',
    spec,
    seed,
    'cancelled; nothing was saved'
  )
  if (!r) return 1
  const taken = [...p.models, ...p.runs, ...p.datasets, ...p.analyses, ...(p.trainings ?? [])].map((x) => x.id)
  const id = nextId('train', taken)
  const arrays: Record<string, string> = {}
  for (const [role, array] of Object.entries(dbnToArrays(r.dbn))) {
    doc.arrays[`${id}.${role}`] = array
    arrays[role] = `${id}.${role}`
  }
  const record: TrainingV2 = {
    id,
    name: `${cols}→${layers.join('→')} on ${dataset.name}`,
    datasetId: dataset.id,
    visibleUnits: units,
    layers: layers.map((nh) => ({ nh, hiddenUnits: units })),
    options: JSON.parse(JSON.stringify(training)) as TrainingOptions,
    passUp,
    seed,
    status: 'done',
    createdAt: new Date().toISOString(),
    arrays,
    history: trainingHistory(r.history, r.arithmetic),
    monitors: { logLikelihood: 'auto', physical: lattice !== null }
  }
  p.trainings = [...(p.trainings ?? []), record]
  p.modifiedAt = new Date().toISOString()
  const target = resolve((opts['--out'] as string | undefined) ?? file)
  if (target !== resolve(file) && existsSync(target)) {
    const existing = decodeProject(new Uint8Array(await readFile(target)))
    if (!existing.ok) return (out.err(`${target} exists but could not be read, so it was left alone.`), 1)
  }
  const written = await atomicWriteFile(target, encodeProject(doc, packageInfo().version))
  if (!written.ok) return (out.err(`The project could not be saved to ${target}: ${written.detail}.`), 1)
  const last = r.history[r.history.length - 1]
  if (opts['--json'])
    out.log(
      JSON.stringify({ training: id, layers: [cols, ...layers], epochs: training.epochs, final: last ?? null }, null, 2)
    )
  else
    out.log(
      `Trained ${record.name}; saved as "${id}" in ${target}.${last?.monitors.reconstructionError !== undefined ? ` Final reconstruction error ${last.monitors.reconstructionError.toPrecision(4)}.` : ''}`
    )
  return 0
}
