import { describe, expect, it } from 'vitest'
import { renameLegacyChi } from '@shared/project/monitorKeys'

/** Training monitors saved N(⟨m²⟩ − ⟨|m|⟩²) as `chi` before it was named `chiAbs` (χ′). */
describe('renameLegacyChi', () => {
  const est = (value: number) => ({ value, error: 0.1 })

  it('reads an old record’s chi as chiAbs, its meaning', () => {
    const old = { e: est(-1.2), absM: est(0.7), c: est(0.9), chi: est(1.5), samples: 400, groups: 10 }
    expect(renameLegacyChi(old)).toEqual({
      e: est(-1.2),
      absM: est(0.7),
      c: est(0.9),
      chiAbs: est(1.5),
      samples: 400,
      groups: 10
    })
    expect(old.chi).toEqual(est(1.5)) // the input is not changed
  })

  it('leaves records that already name chiAbs (a chi beside it is the connected one), and non-objects', () => {
    const current = { e: est(-1.2), chiAbs: est(1.5) }
    expect(renameLegacyChi(current)).toBe(current)
    const both = { chi: est(4), chiAbs: est(1.5) }
    expect(renameLegacyChi(both)).toBe(both)
    for (const v of [null, undefined, 3, 'chi', [est(1)]]) expect(renameLegacyChi(v)).toBe(v)
  })
})
