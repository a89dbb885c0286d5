// `blockspin cluster …` from the sources, as a process of its own (signals, Slurm array tasks):
//   node --import tsx tests/helpers/clusterCli.ts [cluster] task DIR/tasks/0.json
import { clusterCommand } from '../../src-main/cli/cluster'

const argv = process.argv.slice(2)
if (argv[0] === 'cluster') argv.shift()
process.exitCode = await clusterCommand(argv, {
  log: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s + '\n')
})
