import katex from 'katex'

/**
 * TeX → HTML with KaTeX (bundled, no network). Only the app's own TeX constants reach this
 * function; a mistake in one renders in red in place instead of throwing.
 */
export function renderTex(tex: string): string {
  return katex.renderToString(tex, { displayMode: true, throwOnError: false, output: 'htmlAndMathml' })
}
