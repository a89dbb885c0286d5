/**
 * Format 1 → 2. A format-1 model was a uniform periodic L×L square lattice with K and h; in
 * format 2 the same model is a square lattice spec with those uniform values and no edited
 * arrays. Projects gain empty dataset and analysis lists. Runs are unchanged.
 */
export function v1ToV2(project: Record<string, unknown>): Record<string, unknown> {
  const models = (project['models'] as Array<Record<string, unknown>>).map((m) => {
    const lattice = m['lattice'] as { L: number }
    const { K, h, lattice: _old, ...rest } = m
    void _old
    return {
      ...rest,
      lattice: { kind: 'square', Lx: lattice.L, Ly: lattice.L, periodicX: true, periodicY: true },
      uniform: { K, h },
      arrays: {}
    }
  })
  return { ...project, models, datasets: [], analyses: [] }
}
