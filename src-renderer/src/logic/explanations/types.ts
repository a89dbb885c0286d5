/**
 * What a view's collapsible explanation says: a title, a few short paragraphs, the equations it
 * computes (TeX, typeset with KaTeX) and the sign convention the view uses. Content is data, so a
 * test can check that every view has one and that every equation typesets.
 */

/** The views that carry an explanation, one key each. */
export const EXPLAINED_VIEWS = [
  'live',
  'model',
  'exact',
  'sweep',
  'dataset',
  'coarseDataset',
  'training',
  'rbmSamples',
  'rg',
  'rgFlow',
  'mcrg',
  'mapping',
  'compare',
  'paper',
  'cluster',
  'clusterDataset'
] as const
export type ExplainedView = (typeof EXPLAINED_VIEWS)[number]

export interface Equation {
  /** TeX source (KaTeX's subset), display style. */
  tex: string
  /** What the equation is, in a few words (plain text). */
  caption: string
}

export interface Explanation {
  title: string
  /** Short paragraphs of plain text. */
  prose: string[]
  equations: Equation[]
  /** The sign convention the view uses: one equation and a sentence. */
  convention: Equation
}
