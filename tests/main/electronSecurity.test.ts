import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ApiHandlers } from '@shared/contract'
import { fakeApp, fakeFrame, FakeBrowserWindow, FakeSession, FakeWebContents } from './electronFake'

// The main process's window and security code under Node, with the `electron` stand-in.
vi.mock('electron', async () => (await import('./electronFake')).electronFake)

const { createMainWindow, isTrustedFrame } = await import('../../src-main/main/window')
const { ipcCallHandler, pageLifetime, refuseNavigation, refusePermissionsAndDevices } =
  await import('../../src-main/main/security')
const { callSignal } = await import('../../src-main/services/callSignal')

const DEV_URL = 'http://localhost:5173'
const open = () =>
  createMainWindow({
    preload: '/app/out/preload/index.cjs',
    rendererDir: '/app/out/renderer'
  }) as unknown as FakeBrowserWindow

afterEach(() => {
  fakeApp.isPackaged = false
  vi.unstubAllEnvs()
})

describe('the main window', () => {
  it('is isolated and sandboxed, without Node', () => {
    const win = open()
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: '/app/out/preload/index.cjs'
    })
  })

  it('a packaged app loads its own files, whatever ELECTRON_RENDERER_URL says', () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'https://evil.example/')
    fakeApp.isPackaged = true
    expect(open().loaded).toEqual({ file: '/app/out/renderer/index.html' })
    expect(isTrustedFrame(fakeFrame('https://evil.example/') as never)).toBe(false)
  })

  it('in development, the dev server is loaded and trusted by origin only', () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', DEV_URL)
    expect(open().loaded).toEqual({ url: DEV_URL })
    expect(isTrustedFrame(fakeFrame(`${DEV_URL}/index.html`) as never)).toBe(true)
    expect(isTrustedFrame(fakeFrame('http://localhost:5173.evil.example/') as never)).toBe(false)
    expect(isTrustedFrame(fakeFrame('file:///app/out/renderer/index.html') as never)).toBe(false)
  })

  it('trusts only the main frame of a page inside the renderer folder (no prefix tricks)', () => {
    open()
    const trusted = (url: string, parent: object | null = null) => isTrustedFrame(fakeFrame(url, parent) as never)
    expect(trusted('file:///app/out/renderer/index.html')).toBe(true)
    expect(trusted('file:///app/out/renderer-evil/index.html')).toBe(false)
    expect(trusted('file:///app/out/rendererX')).toBe(false)
    expect(trusted('file:///app/out/renderer/index.html', {})).toBe(false)
    expect(trusted(DEV_URL)).toBe(false)
    expect(isTrustedFrame(null)).toBe(false)
  })
})

describe('permissions and devices', () => {
  it('every permission request and check is refused', async () => {
    const session = new FakeSession()
    expect([await session.request('media'), session.check('notifications')]).toEqual([true, true]) // Electron's defaults
    refusePermissionsAndDevices(session as never)
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'serial', 'usb']) {
      expect(await session.request(permission), permission).toBe(false)
      expect(session.check(permission), permission).toBe(false)
    }
    expect(session.devicePermission?.({ deviceType: 'usb' })).toBe(false)
  })

  it('device choosers choose nothing', () => {
    const session = new FakeSession()
    refusePermissionsAndDevices(session as never)
    for (const name of ['select-hid-device', 'select-serial-port', 'select-usb-device'] as const) {
      const { event, chosen } = session.choose(name)
      expect(event.defaultPrevented, name).toBe(true)
      expect(
        chosen.every((id) => id === undefined || id === ''),
        name
      ).toBe(true)
      expect(chosen, name).toHaveLength(1)
    }
  })
})

describe('web contents', () => {
  it('never navigate, open windows, attach webviews or pick a Bluetooth device', () => {
    const contents = new FakeWebContents()
    refuseNavigation(contents as never)
    expect(contents.fire('will-navigate', 'https://evil.example/').defaultPrevented).toBe(true)
    expect(contents.fire('will-attach-webview', {}, {}).defaultPrevented).toBe(true)
    const picked: string[] = []
    expect(
      contents.fire('select-bluetooth-device', [{ deviceId: 'b1' }], (id: string) => picked.push(id)).defaultPrevented
    ).toBe(true)
    expect(picked).toEqual([''])
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
  })
})

describe('IPC calls', () => {
  const calls: string[] = []
  const handlers = {
    'app.info': async () => (calls.push('app.info'), { appName: 'Blockspin' })
  } as unknown as ApiHandlers

  it('are answered only for the main frame of our page, on contract channels with valid arguments', async () => {
    open()
    const seen: string[] = []
    const answer = ipcCallHandler(handlers, (channel) => seen.push(channel))
    const page = { senderFrame: fakeFrame('file:///app/out/renderer/index.html') } as never
    await expect(answer(page, 'app.info', [])).resolves.toEqual({ appName: 'Blockspin' })
    expect([calls, seen]).toEqual([['app.info'], ['app.info']])
    const sub = { senderFrame: fakeFrame('file:///app/out/renderer/index.html', {}) } as never
    const sibling = { senderFrame: fakeFrame('file:///app/out/renderer-evil/index.html') } as never
    for (const event of [sub, sibling, { senderFrame: null } as never]) {
      await expect(answer(event, 'app.info', [])).rejects.toThrow('Blockspin refused a call from an untrusted frame.')
    }
    await expect(answer(page, 'fs.readAnything', [])).rejects.toThrow('Unknown channel "fs.readAnything".')
    await expect(answer(page, { toString: 1 }, [])).rejects.toThrow('Unknown channel "object".')
    await expect(answer(page, 'app.info', ['extra'])).rejects.toThrow()
    expect(calls).toEqual(['app.info'])
  })
})

describe('a page that goes away', () => {
  it('aborts the calls it made when it reloads or its window closes, and not the next page’s', async () => {
    const contents = new FakeWebContents()
    const life = pageLifetime(contents as never)
    const seen: AbortSignal[] = []
    const handlers = {
      'app.info': async () => (seen.push(callSignal()!), { appName: 'Blockspin' })
    } as unknown as ApiHandlers
    const answer = ipcCallHandler(handlers, () => {}, life.signal)
    const page = { senderFrame: fakeFrame('file:///app/out/renderer/index.html') } as never
    await answer(page, 'app.info', [])
    expect(seen[0]!.aborted).toBe(false)
    contents.fire('did-start-loading')
    expect(seen[0]!.aborted).toBe(true)
    await answer(page, 'app.info', [])
    expect(seen[1]!.aborted).toBe(false)
    contents.fire('destroyed')
    expect(seen[1]!.aborted).toBe(true)
  })
})

describe('packaging', () => {
  it('build/electron-builder.yml flips the fuses that close the app to other code', () => {
    const text = readFileSync(new URL('../../build/electron-builder.yml', import.meta.url), 'utf8')
    const block = /^electronFuses:\n((?: {2}\w+: \w+\n?)+)/m.exec(text)
    expect(block).not.toBeNull()
    const fuses = Object.fromEntries(
      block![1]!
        .trim()
        .split('\n')
        .map((line) => line.trim().split(/:\s*/))
    )
    expect(fuses).toMatchObject({
      runAsNode: 'false',
      enableCookieEncryption: 'true',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true'
    })
    expect(text).toMatch(/^asar: true$/m)
  })
})
