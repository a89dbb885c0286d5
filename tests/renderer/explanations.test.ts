import katex from 'katex'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import ViewExplanation from '../../src-renderer/src/components/ViewExplanation.vue'
import { EXPLAINED_VIEWS, EXPLANATIONS } from '../../src-renderer/src/logic/explanations'
import { useUiStore } from '../../src-renderer/src/stores/ui'

/** The source of every item view (tabs that only switch between views, *Tab.vue, are left out). */
const VIEW_SOURCES = import.meta.glob<string>('../../src-renderer/src/views/*View.vue', {
  query: '?raw',
  import: 'default',
  eager: true
})

describe('view explanations', () => {
  it('every view in views/ shows an explanation, and each key has content', () => {
    const files = Object.keys(VIEW_SOURCES)
    expect(files.length).toBeGreaterThanOrEqual(12)
    const used = files.map((file) => {
      const m = /<ViewExplanation view="([A-Za-z]+)"/.exec(VIEW_SOURCES[file]!)
      expect(m, `${file} has no <ViewExplanation>`).not.toBeNull()
      return m![1]!
    })
    // One explanation per view, each a known one (components outside views/ may show others).
    expect(new Set(used).size).toBe(used.length)
    for (const key of used) expect(EXPLAINED_VIEWS).toContain(key)
    for (const view of EXPLAINED_VIEWS) {
      const e = EXPLANATIONS[view]
      expect(e.title.length, view).toBeGreaterThan(5)
      expect(e.prose.length, view).toBeGreaterThan(0)
      expect(e.equations.length, view).toBeGreaterThan(0)
      expect(e.convention.caption, view).toMatch(/ferromagnetic|convention|w = −W/)
    }
  })

  it('every equation and convention typesets without a KaTeX error', () => {
    for (const view of EXPLAINED_VIEWS) {
      const e = EXPLANATIONS[view]
      for (const tex of [...e.equations.map((q) => q.tex), e.convention.tex]) {
        expect(
          () => katex.renderToString(tex, { displayMode: true, throwOnError: true }),
          `${view}: ${tex}`
        ).not.toThrow()
      }
    }
  })

  it('states the paper’s signs: H with −K, the RBM in the ML convention with w = −W', () => {
    expect(EXPLANATIONS.live.convention.tex).toContain(String.raw`H(v) = -K \sum`)
    expect(EXPLANATIONS.live.convention.tex).toContain(String.raw`- h \sum_i v_i`)
    expect(EXPLANATIONS.training.convention.tex).toContain(String.raw`E(v,h) = -a^{\top}v - b^{\top}h - v^{\top}W h`)
    expect(EXPLANATIONS.training.convention.tex).toContain('= -W')
    expect(EXPLANATIONS.mapping.equations[0]!.tex).toBe(String.raw`T_\lambda(v,h) = -E(v,h) + H(v)`)
    // Kc = ½ ln(1 + √2), not the paper's 0.4352.
    expect(EXPLANATIONS.live.equations[0]!.tex).toContain('0.440687')
    expect(0.5 * Math.log(1 + Math.SQRT2)).toBeCloseTo(0.440687, 6)
  })
})

describe('ViewExplanation', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
  })

  it('is collapsed by default, typesets when opened, and the ui store remembers it', async () => {
    const wrapper = mount(ViewExplanation, { props: { view: 'rg' } })
    const toggle = wrapper.get('[data-testid="explanation-toggle"]')
    expect(toggle.attributes('aria-expanded')).toBe('false')
    expect(wrapper.find('.katex').exists()).toBe(false)
    await toggle.trigger('click')
    expect(toggle.attributes('aria-expanded')).toBe('true')
    expect(wrapper.findAll('.katex').length).toBe(EXPLANATIONS.rg.equations.length + 1)
    expect(wrapper.find('.katex-error').exists()).toBe(false)
    expect(wrapper.get('[data-testid="explanation-convention"]').text()).toContain('Sign convention')
    expect(useUiStore().explanationOpen('rg')).toBe(true)
    expect(JSON.parse(localStorage.getItem('blockspin.explanations')!)).toEqual(['rg'])
    // Another view's explanation stays collapsed.
    expect(useUiStore().explanationOpen('mcrg')).toBe(false)
    await toggle.trigger('click')
    expect(wrapper.find('.katex').exists()).toBe(false)
  })
})
