// `blockspin cluster …` from the sources (node --import tsx tests/helpers/clusterCli.ts task …),
// for tests that need it as a process of its own: signals, Slurm array tasks.
import { clusterCommand } from '../../src-main/cli/cluster'

process.exitCode = await clusterCommand(process.argv.slice(2), {
  log: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s + '\n')
})
