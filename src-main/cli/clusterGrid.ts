import type { TrainingGrid } from '@shared/cluster/splitKinds'
import { printable } from '@shared/project/errors'

/**
 * The export options that are not plain `--name value` pairs, taken out of the command line
 * before it is parsed: `--grid lr=0.01,0.05 hidden=16,32 seeds=3` (a training grid: learning
 * rates × first hidden layer sizes × trainings of each) and `--no-warm-start` (a sweep's points
 * each from the sweep's start rather than from the previous point's spins).
 */
export function takeExportExtras(
  args: string[]
): { args: string[]; grid?: TrainingGrid; warmStart?: boolean } | { error: string } {
  const rest: string[] = []
  let grid: TrainingGrid | undefined
  let warmStart: boolean | undefined
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--no-warm-start') {
      warmStart = false
      continue
    }
    if (a !== '--grid') {
      rest.push(a)
      continue
    }
    if (grid) return { error: '--grid was given more than once.' }
    grid = {}
    let terms = 0
    for (; i + 1 < args.length && /^[a-z]+=/.test(args[i + 1]!); i++, terms++) {
      const [key, value = ''] = args[i + 1]!.split('=', 2) as [string, string?]
      const list = value.split(',').filter(Boolean).map(Number)
      const bad = `--grid ${printable(key, 20)}= takes`
      if (key === 'lr') {
        if (!list.length || list.some((x) => !Number.isFinite(x) || x <= 0))
          return { error: `${bad} positive learning rates separated by commas, as in lr=0.01,0.05.` }
        grid.learningRates = list
      } else if (key === 'hidden') {
        if (!list.length || list.some((x) => !Number.isInteger(x) || x < 1 || x > 65536))
          return { error: `${bad} hidden layer sizes separated by commas, as in hidden=16,32.` }
        grid.hidden = list
      } else if (key === 'seeds') {
        if (list.length !== 1 || !Number.isInteger(list[0]) || list[0]! < 1 || list[0]! > 1000)
          return { error: `${bad} how many trainings of each configuration (1 to 1000), as in seeds=3.` }
        grid.replicas = list[0]!
      } else return { error: `--grid knows lr=, hidden= and seeds=, not "${printable(key, 20)}=".` }
    }
    if (!terms)
      return { error: '--grid needs lr=…, hidden=… or seeds=…, as in --grid lr=0.01,0.05 hidden=16,32 seeds=3.' }
  }
  return { args: rest, ...(grid ? { grid } : {}), ...(warmStart !== undefined ? { warmStart } : {}) }
}
