import type { useProjectStore } from '../stores/project'
import type { useUiStore } from '../stores/ui'

/**
 * A first launch (this profile never launched Blockspin): open the example project as an untitled
 * copy and show the guide. Without an example the guide still opens, on the project already open,
 * and says so. Later launches do nothing.
 */
export async function runFirstLaunch(
  project: ReturnType<typeof useProjectStore>,
  ui: ReturnType<typeof useUiStore>
): Promise<void> {
  if (!ui.firstLaunch) return
  ui.markLaunched()
  const opened = await project.openExample().catch(() => 'failed' as const)
  ui.exampleMissing = opened !== 'opened'
  ui.guideOpen = true
}
