import { main } from '../../src-main/cli/index'
import { clusterCommand } from '../../src-main/cli/cluster'

/** What one `blockspin` command did: its exit code and its standard output and error, one line each. */
export interface CliOutcome {
  code: number
  log: string
  err: string
}

/** Runs `blockspin ...argv` in this process, capturing what it prints. */
export async function cli(...argv: string[]): Promise<CliOutcome> {
  const log: string[] = []
  const err: string[] = []
  const code = await main(argv, { log: (s) => log.push(s), err: (s) => err.push(s) })
  return { code, log: log.join('\n'), err: err.join('\n') }
}

/** Runs `blockspin cluster ...argv` in this process (the cluster command itself), capturing what it prints. */
export async function clusterCli(...argv: string[]): Promise<CliOutcome> {
  const log: string[] = []
  const err: string[] = []
  const code = await clusterCommand(argv, { log: (s) => log.push(s), err: (s) => err.push(s) })
  return { code, log: log.join('\n'), err: err.join('\n') }
}
