import { app, BrowserWindow, type WebFrameMain } from 'electron'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

let trustedOrigin: string | null = null
let trustedFilePrefix: string | null = null

/**
 * The main window, secure by default: context isolation, sandbox, no Node integration,
 * web security on. The CSP is a meta tag in index.html (the same page the web host serves).
 */
export function createMainWindow(opts: { preload: string; rendererDir: string }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Blockspin',
    backgroundColor: '#15181d',
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false
    }
  })
  win.once('ready-to-show', () => win.show())
  // electron-vite's dev server, in development only: a packaged app never loads a page whose
  // address comes from the environment.
  const devUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']
  if (devUrl) {
    trustedOrigin = new URL(devUrl).origin
    trustedFilePrefix = null
    void win.loadURL(devUrl)
  } else {
    const index = join(opts.rendererDir, 'index.html')
    // With the trailing slash, so a sibling folder such as "renderer-evil" does not match.
    const folder = pathToFileURL(opts.rendererDir).href
    trustedFilePrefix = folder.endsWith('/') ? folder : `${folder}/`
    trustedOrigin = null
    void win.loadFile(index)
  }
  return win
}

/** IPC is answered only for the main frame of our own page. */
export function isTrustedFrame(frame: WebFrameMain | null | undefined): boolean {
  if (!frame || frame.parent !== null) return false
  const url = frame.url
  if (trustedFilePrefix && url.startsWith(trustedFilePrefix)) return true
  if (trustedOrigin) {
    try {
      return new URL(url).origin === trustedOrigin
    } catch {
      return false
    }
  }
  return false
}
