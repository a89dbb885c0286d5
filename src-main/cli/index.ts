import { packageInfo } from '../services/packageInfo'
import { exactCommand, sampleCommand } from './physics'
import { infoCommand } from './project'
import { newCommand, runCommand } from './run'
import { RBM_USAGE, rbmCommand } from './rbm'
import { RBM_TRAIN_USAGE } from './rbmTrain'
import { MAPPING_USAGE, mappingCommand } from './mapping'
import { RG_USAGE, rgCommand } from './rg'
import { clusterCommand } from './cluster'

/**
 * The `blockspin` command. Exit codes: 0 success, 1 a job failed or was interrupted,
 * 2 bad usage or a file that could not be read as a project.
 */
export const USAGE = `Usage: blockspin <command> [options]

Commands:
  info FILE [--json]           Summarise a .blockspin project (models, runs, arrays).
  new FILE [--template mehta-schwab-2014 [--small]]
                               A new project; with the template, the paper's experiment
                               (Fig. 2, the dataset, the DBN, the RG comparison) ready to run.
  run FILE [--out FILE]        Run the project's pending runs, then the remaining stages of
                               its paper template, headlessly, saving as they finish (to FILE,
                               or to --out). Progress goes to stderr; Ctrl+C pauses a training.
  exact [model options] [--method auto|enumeration|transfer|kaufman] [--json]
                               Exact solution by the method that applies (enumeration
                               N ≤ 24, transfer matrix for chains and strips of width ≤ 14,
                               Kaufman for uniform periodic square lattices): per-site
                               f, e, c, m, absM, m2, chi, chiAbs as the size allows
                               ('exact --help').
  sample [model options] --samples N [--algorithm metropolis|metropolis-random|heatbath|wolff|sw]
         [--seed S] [--burn-in B] [--thin T|auto] [--out FILE.blockspin] [--json]
                               N decorrelated samples; each observable with its error bar
                               and τ_int. With --out, the dataset is stored in a project
                               (created if absent).
  rbm logz --weights FILE.npz [--units 01|pm1] [--method exact|ais] [--chains N] [--seed S] [--json]
                               ln Z of an RBM given as a NumPy .npz with W (visible × hidden),
                               a and b in the convention E = −aᵀv − bᵀh − vᵀWh ('rbm --help').
  rbm train --data FILE.blockspin --layers 400,100,25 [options]
                               Train an RBM or DBN on a dataset of the project ('rbm --help').
  rg decimate --K K [--h H] [--steps N] [--json]
                               The exact 1D decimation with field: K′, h′, ln A per step.
  rg couplings --data FILE.blockspin[#dataset] [--rule R] [--b 2] [--levels 3] [--json]
                               Block a dataset level after level; effective couplings per level.
  rg mcrg [--lattice square:64x64] [--K Kc] [--samples N] [--json]
                               Swendsen's Monte Carlo RG: ν with its error ('rg --help').
  mapping --preset decimation-1d|lin-tegmark|block-2x2 [--json]
                               The exact RG ↔ RBM mapping's residuals ('mapping --help').
  cluster export|task|merge|submit|status …
                               A sweep or dataset as a Slurm job array, submitted where sbatch
                               is on PATH, its tasks' state, and its results merged back into
                               the project ('cluster --help').
  help                         Show this help.

Model options:
  --lattice chain:N | square:LxxLy | triangular:LxxLy   periodic unless --open
  --K k [--h h]                uniform coupling and field, H = −K Σ v_i v_j − h Σ v_i
  --model FILE[#id]            a model from a project (or a JSON model file)

Options:
  -h, --help                   Show this help.
  -v, --version                Print the version.

Exit codes: 0 success; 1 a run failed or was interrupted; 2 bad usage or unreadable file.
A project's arrays are NumPy .npy files inside a ZIP: numpy.load("x.blockspin") reads them.
`

type Out = { log: (s: string) => void; err: (s: string) => void }
const defaultOut: Out = { log: (s) => process.stdout.write(s + '\n'), err: (s) => process.stderr.write(s + '\n') }

export async function main(argv: string[], out: Out = defaultOut): Promise<number> {
  const [command, ...rest] = argv
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    out.log(USAGE)
    return 0
  }
  if (command === '--version' || command === '-v') {
    out.log(packageInfo().version)
    return 0
  }
  const help = helpFor(command, rest)
  if (help !== null) return (out.log(help), 0)
  if (command === 'info') return infoCommand(rest, out, USAGE)
  if (command === 'run') return runCommand(rest, out, USAGE)
  if (command === 'new') return newCommand(rest, out, USAGE)
  if (command === 'exact') return exactCommand(rest, out, USAGE)
  if (command === 'sample') return sampleCommand(rest, out, USAGE)
  if (command === 'rbm') return rbmCommand(rest, out)
  if (command === 'rg') return rgCommand(rest, out)
  if (command === 'mapping') return mappingCommand(rest, out)
  if (command === 'cluster') return clusterCommand(rest, out)
  out.err(`Unknown command "${command}".\n\n${USAGE}`)
  return 2
}

/**
 * The usage a command's `--help` or `-h` asks for (before any `--`), or null. `exact` answers its
 * own; the others print the usage that lists them.
 */
function helpFor(command: string, args: readonly string[]): string | null {
  const end = args.indexOf('--')
  const asked = (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h')
  if (!asked || command === 'exact') return null
  if (command === 'rbm') return `${RBM_USAGE}\n\n${RBM_TRAIN_USAGE}`
  if (command === 'rg') return RG_USAGE
  if (command === 'mapping') return MAPPING_USAGE
  return command === 'info' || command === 'run' || command === 'sample' ? USAGE : null
}
