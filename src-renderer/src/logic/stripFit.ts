/**
 * Geometry of the centre's tab bar and the jobs strip: which scroll offset brings a tab whole into
 * view, and whether a row of chips overflows its box. Pure, so the components only measure.
 */

/**
 * The scroll offset of a horizontally scrolled bar (`scrollLeft`, visible `width`) that shows the
 * item at [itemLeft, itemLeft + itemWidth) (in the bar's content coordinates) whole, moving as
 * little as possible: unchanged when it is already whole, its left edge at the bar's when it lies
 * to the left or is wider than the bar, its right edge at the bar's when it lies to the right.
 */
export function scrollToReveal(scrollLeft: number, width: number, itemLeft: number, itemWidth: number): number {
  const itemRight = itemLeft + itemWidth
  if (itemLeft < scrollLeft || itemWidth >= width) return Math.max(0, itemLeft)
  if (itemRight > scrollLeft + width) return Math.max(0, itemRight - width)
  return scrollLeft
}

/** A box cuts its content off at the right (half a pixel of rounding allowed). */
export function overflowsRight(box: { scrollWidth: number; clientWidth: number }): boolean {
  return box.scrollWidth > box.clientWidth + 0.5
}
