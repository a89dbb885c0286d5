import { describe, expect, it } from 'vitest'
import { liveLayout } from '../../src-renderer/src/logic/liveLayout'

describe('live view layout', () => {
  it('at 1280×720 (an 832×614 view) the lattice takes the height the charts leave, beside 26rem of controls', () => {
    // 614 − 24 − 214.9 (charts, 35 %) − 12 = 363.1 (the legend sits with the controls); the width
    // allows 832 − 24 − 12 − 416 = 380.
    expect(liveLayout(832, 614)).toEqual({ side: 363, wide: false })
    // A general model's drawing keeps its legend below it: 30.4 px less.
    expect(liveLayout(832, 614, 16, true)).toEqual({ side: 332, wide: false })
  })

  it('at 1920×1080 (a 1472×974 view) the lattice takes the whole height and the charts stack beside it', () => {
    // Height: 974 − 24 = 950; width: 1472 − 24 − 12 − 544 = 892.
    expect(liveLayout(1472, 974)).toEqual({ side: 892, wide: true })
  })

  it('follows the root font size and never goes below 12rem', () => {
    expect(liveLayout(832, 614, 20).side).toBeLessThan(liveLayout(832, 614, 16).side)
    expect(liveLayout(500, 300)).toEqual({ side: 192, wide: true })
  })
})
