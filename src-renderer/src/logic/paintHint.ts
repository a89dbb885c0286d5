import { KC } from '@core/ising/onsager'

/**
 * Painting a running chain far from the critical coupling: the painted domains vanish within a
 * few sweeps. That is the physics (below Kc the chain is disordered, above it a domain of the
 * other sign shrinks, and a field flips spins set against it), but it looks like a fault, so the
 * view says so in one line and offers to pause the chain while the pointer is down.
 */

/** Within this distance below Kc painted domains last long enough to watch (critical slowing down). */
export const HINT_BELOW_KC = 0.04
/** Above Kc domains coarsen slowly near Kc; beyond this a painted domain shrinks away in moments. */
export const HINT_ABOVE_KC = 0.1
/** A field at least this strong flips spins painted against it back within a few sweeps. */
export const HINT_FIELD = 0.05

export interface PaintSituation {
  painting: boolean
  running: boolean
  /** A general model (no single Kc). */
  general: boolean
  K: number
  h: number
}

const short = (v: number): string => String(Number(v.toPrecision(4)))

/** The one-line hint for painting a running chain far from Kc, or null when none is due. */
export function paintingHint(s: PaintSituation): string | null {
  if (!s.painting || !s.running || s.general) return null
  if (Math.abs(s.h) >= HINT_FIELD)
    return `With h = ${short(s.h)}, spins painted against the field flip back in a few sweeps: real physics.`
  if (s.K < KC - HINT_BELOW_KC) return `Below Kc, painted domains dissolve in a few sweeps: real physics.`
  if (s.K > KC + HINT_ABOVE_KC) return `Far above Kc, painted domains shrink away in a few sweeps: real physics.`
  return null
}
