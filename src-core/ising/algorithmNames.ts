import type { ChainAlgorithm } from './types'

/** One name per Monte Carlo algorithm, everywhere a person reads it (app and CLI alike). */
export const ALGORITHM_NAMES: Record<ChainAlgorithm, string> = {
  metropolis: 'Metropolis (checkerboard)',
  'metropolis-random': 'Metropolis (random sites)',
  heatbath: 'Heat bath',
  wolff: 'Wolff cluster',
  sw: 'Swendsen–Wang'
}

/** The algorithm's name, or the id as given when it is not one of ours (an old or foreign file). */
export function algorithmName(id: string): string {
  return Object.hasOwn(ALGORITHM_NAMES, id) ? ALGORITHM_NAMES[id as ChainAlgorithm] : id
}
