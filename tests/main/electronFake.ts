import { EventEmitter } from 'node:events'

/**
 * A stand-in for the parts of `electron` the main process's window and security code use, so
 * that code runs under Node (vi.mock('electron', () => electronFake)). It behaves as Electron
 * documents: Electron events carry an event object whose preventDefault() is observable, a
 * session's handlers are stored and can be asked as Chromium would ask them, BrowserWindow
 * keeps its options and what it was told to load, and a frame has a url and a parent.
 */

/** An Electron event: `defaultPrevented` says whether a listener refused the default action. */
export class FakeEvent {
  defaultPrevented = false
  preventDefault(): void {
    this.defaultPrevented = true
  }
}

export class FakeSession extends EventEmitter {
  permissionRequest:
    ((contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void) | null =
    null
  permissionCheck: ((contents: unknown, permission: string, origin: string, details: unknown) => boolean) | null = null
  devicePermission: ((details: unknown) => boolean) | null = null

  setPermissionRequestHandler(handler: FakeSession['permissionRequest']): void {
    this.permissionRequest = handler
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheck']): void {
    this.permissionCheck = handler
  }
  setDevicePermissionHandler(handler: FakeSession['devicePermission']): void {
    this.devicePermission = handler
  }

  /** Asks as Chromium does when a page requests a permission; Electron grants it when no handler is set. */
  request(permission: string): Promise<boolean> {
    return new Promise((resolve) =>
      this.permissionRequest ? this.permissionRequest({}, permission, resolve, {}) : resolve(true)
    )
  }
  /** A synchronous check (navigator.permissions.query and the like); Electron allows when no handler is set. */
  check(permission: string, origin = 'file://'): boolean {
    return this.permissionCheck ? this.permissionCheck({}, permission, origin, {}) : true
  }
  /** A device chooser event: what the listeners chose ('' or undefined: none) and whether the default was prevented. */
  choose(name: 'select-hid-device' | 'select-serial-port' | 'select-usb-device'): {
    event: FakeEvent
    chosen: unknown[]
  } {
    const event = new FakeEvent()
    const chosen: unknown[] = []
    const callback = (...id: unknown[]) => chosen.push(id[0])
    if (name === 'select-serial-port') this.emit(name, event, [{ portId: 'p1' }], {}, callback)
    else this.emit(name, event, { deviceList: [{ deviceId: 'd1' }] }, callback)
    return { event, chosen }
  }
}

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null
  setWindowOpenHandler(handler: FakeWebContents['windowOpenHandler']): void {
    this.windowOpenHandler = handler
  }
  /** Emits an Electron event with a fresh event object first; returns it. */
  fire(name: string, ...args: unknown[]): FakeEvent {
    const event = new FakeEvent()
    this.emit(name, event, ...args)
    return event
  }
  send(): void {}
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = []
  readonly webContents = new FakeWebContents()
  loaded: { url?: string; file?: string } = {}
  constructor(readonly options: Record<string, unknown>) {
    super()
    FakeBrowserWindow.created.push(this)
  }
  loadURL(url: string): Promise<void> {
    this.loaded = { url }
    return Promise.resolve()
  }
  loadFile(file: string): Promise<void> {
    this.loaded = { file }
    return Promise.resolve()
  }
  show(): void {}
}

/** A WebFrameMain as isTrustedFrame reads it. */
export const fakeFrame = (url: string, parent: object | null = null) => ({ url, parent })

export const fakeApp = { isPackaged: false, getVersion: () => '0.0.0-test' }
export const fakeSession = new FakeSession()

export const electronFake = {
  app: fakeApp,
  BrowserWindow: FakeBrowserWindow,
  session: { defaultSession: fakeSession }
}
