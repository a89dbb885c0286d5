import { printable } from '../project/errors'
import type { BundleManifest } from './bundle'

/**
 * The job-array script and the README of a bundle. The user's Slurm choices are checked here
 * (they are written into a shell script, so only their plain forms are accepted).
 */

export interface SlurmOptions {
  partition?: string
  /** Slurm time: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS. */
  time: string
  /** Slurm memory: a number with an optional K, M, G or T. */
  mem: string
  cpus: number
}

export const DEFAULT_SLURM: SlurmOptions = { time: '01:00:00', mem: '2G', cpus: 1 }
/** The status `blockspin cluster task` ends with when it stopped on a signal after writing its checkpoint (EX_TEMPFAIL). */
export const CHECKPOINTED_EXIT = 75
/** Seconds before the time limit at which Slurm signals the script. */
export const SIGNAL_LEAD_SECONDS = 120

/** One sentence saying what is wrong with the options, or null. */
export function slurmOptionsProblem(o: SlurmOptions): string | null {
  if (o.partition !== undefined && !/^[A-Za-z0-9_.,-]{1,64}$/.test(o.partition))
    return `--partition takes a partition's name (letters, digits, _ . , -), not "${printable(o.partition, 40)}".`
  if (!/^(\d{1,3}-)?\d{1,5}(:\d{2}){0,2}$/.test(o.time))
    return `--time takes a Slurm time such as 90, 01:30:00 or 2-00:00:00, not "${printable(o.time, 40)}".`
  if (!/^\d{1,7}[KMGT]?$/.test(o.mem)) return `--mem takes a size such as 2G or 500M, not "${printable(o.mem, 40)}".`
  if (!Number.isInteger(o.cpus) || o.cpus < 1 || o.cpus > 1024)
    return `--cpus takes a whole number from 1 to 1024, not ${o.cpus}.`
  return null
}

export function arrayScript(m: BundleManifest, o: SlurmOptions): string {
  const what = `${m.tasks} task${m.tasks === 1 ? '' : 's'} of ${m.kind} “${printable(m.item.name, 80)}” (${m.units} unit${m.units === 1 ? '' : 's'})`
  return `#!/bin/bash
# Blockspin bundle ${m.id}: ${what.replace(/\n/g, ' ')}.
# Submit it from this folder:   sbatch blockspin-array.sbatch
# Each array task runs one task file (tasks/N.json) and writes results/N.json; bring the results
# back into the project with:   blockspin cluster merge PROJECT.blockspin THIS-FOLDER
#
#SBATCH --job-name=blockspin-${m.id.slice(0, 8)}
# One array task per task file, numbered as the files are.
#SBATCH --array=0-${m.tasks - 1}
# Wall time of each task (a task that reaches it resumes from its checkpoint when requeued).
#SBATCH --time=${o.time}
# Memory of each task: the Node process and the one worker process that runs the job.
#SBATCH --mem=${o.mem}
# CPUs of each task: each unit runs in one worker process, one unit after another.
#SBATCH --cpus-per-task=${o.cpus}
${o.partition ? `# Partition (queue) to run in.\n#SBATCH --partition=${o.partition}` : "# No partition given: the cluster's default partition."}
# ${SIGNAL_LEAD_SECONDS} s before the time limit Slurm sends SIGUSR1 to this script, which passes it on:
# the task stops, keeps its finished units in checkpoints/N.json and ends with status ${CHECKPOINTED_EXIT};
# the script then requeues it and the requeued task resumes from the checkpoint.
#SBATCH --signal=B:USR1@${SIGNAL_LEAD_SECONDS}
#SBATCH --requeue
# Logs: logs/JOB_TASK.out, appended to across requeues.
#SBATCH --output=logs/%A_%a.out
#SBATCH --open-mode=append

# The command that runs Blockspin on the nodes (Node ≥ 20, no display needed), e.g.
# BLOCKSPIN="node /path/to/blockspin/bin/blockspin.mjs" sbatch blockspin-array.sbatch
BLOCKSPIN="\${BLOCKSPIN:-blockspin}"
BUNDLE="\${BLOCKSPIN_BUNDLE:-\${SLURM_SUBMIT_DIR:-.}}"
task="$BUNDLE/tasks/\${SLURM_ARRAY_TASK_ID:?run this script with sbatch}.json"

child=0
forward() { [ "$child" -gt 0 ] && kill -USR1 "$child" 2>/dev/null; }
trap forward USR1 TERM
echo "Task $SLURM_ARRAY_TASK_ID on $(hostname) at $(date -Is) (restart count \${SLURM_RESTART_COUNT:-0})"
$BLOCKSPIN cluster task "$task" &
child=$!
wait "$child"
status=$?
# A signal interrupts wait; wait again until the task itself has ended.
while [ "$status" -gt 128 ] && kill -0 "$child" 2>/dev/null; do
  wait "$child"
  status=$?
done
if [ "$status" -eq ${CHECKPOINTED_EXIT} ]; then
  echo "Task $SLURM_ARRAY_TASK_ID kept its checkpoint; requeueing it."
  scontrol requeue "\${SLURM_ARRAY_JOB_ID}_\${SLURM_ARRAY_TASK_ID}"
fi
exit "$status"
`
}

export function bundleReadme(m: BundleManifest, o: SlurmOptions): string {
  const name = printable(m.item.name, 80)
  const unit = {
    sweep: 'one (L, K) point of the sweep',
    dataset: 'one shard of the dataset’s samples',
    mcrg: 'one independent chain of the MCRG',
    rgflow: 'one starting K of the RG flow (a stopped one starts again)',
    training: 'one training of the grid, on the dataset packed in `data/`'
  }[m.kind]
  return `# Blockspin bundle ${m.id}

The ${m.kind === 'rgflow' ? 'RG flow' : m.kind} “${name}” (\`${printable(m.item.id, 60)}\`), split into ${m.units} units in ${m.tasks} Slurm
array tasks; each unit is ${unit}. Made ${m.createdAt}.

- \`bundle.json\`: what was split, the seed (${m.seed}) and how each unit's random stream is made.
- \`tasks/N.json\`: array task N, its units' job specs and streams.
- \`blockspin-array.sbatch\`: the job array (time ${o.time}, memory ${o.mem}, ${o.cpus} CPU${o.cpus === 1 ? '' : 's'} per task${o.partition ? `, partition ${o.partition}` : ''}).
- \`results/N.json\`: written when task N has finished (atomically: a file there is complete).
- \`checkpoints/N.json\`: a task's finished units while it runs or after it was stopped.
- \`logs/\`: Slurm's output of each task.

## Running it

Copy this folder to the cluster, with Blockspin installed there (Node ≥ 20), then from the folder:

    sbatch blockspin-array.sbatch        # or: BLOCKSPIN="node ~/blockspin/bin/blockspin.mjs" sbatch …
    squeue --me                          # the array's tasks
    sbatch --array=3,5 blockspin-array.sbatch   # run again only tasks 3 and 5

A task can also run by hand: \`blockspin cluster task tasks/0.json\`. A task that gets SIGUSR1 or
SIGTERM (Slurm sends SIGUSR1 ${SIGNAL_LEAD_SECONDS} s before the time limit) keeps its finished units in
its checkpoint and ends with status ${CHECKPOINTED_EXIT}; the script requeues it and it resumes from there.
A finished task run again does nothing.

## Bringing the results back

Copy \`results/\` back (or the whole folder) and run

    blockspin cluster merge PROJECT.blockspin THIS-FOLDER

It checks every result, adds what is done to the project as “${printable(m.target.name, 80)}”
(\`${printable(m.target.id, 60)}\`), and names each task that is missing or failed. Merging again
after more tasks have finished updates that record; merging the same results twice changes nothing.

## Random streams

${m.streams}. Unit i's stream (four 32-bit words) is in its task file and in its result, so
every number can be reproduced: the same bundle gives the same results.
`
}
