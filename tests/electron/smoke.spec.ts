import { _electron as electron, expect, test } from '@playwright/test'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Desktop smoke test: the real Electron app starts, its window shows the workspace, the preload
 * exposes exactly the contract, and Node is out of the renderer's reach. Runs where the Electron
 * binary exists; elsewhere it is skipped with the reason.
 */
const root = fileURLToPath(new URL('../..', import.meta.url))

function electronBinary(): string | null {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt')
  if (!existsSync(pathFile)) return null
  const bin = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(bin) ? bin : null
}

const binary = electronBinary()

test('the desktop app opens its workspace with a sandboxed, typed bridge', async () => {
  test.skip(
    !binary,
    'No Electron binary on this machine (it cannot be downloaded here); this test runs where one exists.'
  )
  const app = await electron.launch({ executablePath: binary!, args: [root], env: { ...process.env, CI: '1' } })
  try {
    const window = await app.firstWindow()
    await expect(window.getByTestId('project-tree')).toBeVisible({ timeout: 30_000 })
    const bridge = await window.evaluate(() => ({
      keys: Object.keys((window as unknown as { blockspin: object }).blockspin).sort(),
      hasRequire: typeof (window as unknown as { require?: unknown }).require !== 'undefined',
      hasProcess: typeof (window as unknown as { process?: unknown }).process !== 'undefined'
    }))
    expect(bridge.keys).toContain('jobs.start')
    expect(bridge.keys).toContain('on')
    expect(bridge.hasRequire).toBe(false)
    expect(bridge.hasProcess).toBe(false)
    const title = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.getTitle())
    expect(title).toContain('Blockspin')
    await window.screenshot({ path: 'test-results/screens/electron-window.png' })
  } finally {
    await app.close()
  }
})
