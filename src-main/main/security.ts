import type { IpcMainInvokeEvent, Session, WebContents } from 'electron'
import { isChannel, validateInput, type ApiHandlers } from '@shared/contract'
import { withCallSignal } from '../services/callSignal'
import { isTrustedFrame } from './window'

/**
 * The main process's refusals, in one place so they can run under Node with a stand-in for
 * `electron` (tests/main/electronFake.ts): Blockspin needs no permission and no device, never
 * navigates, opens no window and attaches no webview, and answers IPC only from its own page.
 */

/** The parts of a Session used here. */
export type SessionLike = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'on'
>

/** Every permission request and check is refused, and so is every device (HID, serial, USB). */
export function refusePermissionsAndDevices(session: SessionLike): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
  // Without a handler Chromium may show its own chooser; these choose nothing.
  session.on('select-hid-device', (event, _details, callback) => (event.preventDefault(), callback()))
  session.on('select-serial-port', (event, _ports, _contents, callback) => (event.preventDefault(), callback('')))
  session.on('select-usb-device', (event, _details, callback) => (event.preventDefault(), callback()))
}

/** The parts of a WebContents used here. */
export type ContentsLike = Pick<WebContents, 'on' | 'setWindowOpenHandler'>

/** No navigation, new window, webview or Bluetooth device, in any web contents. */
export function refuseNavigation(contents: ContentsLike): void {
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.on('select-bluetooth-device', (event, _devices, callback) => (event.preventDefault(), callback('')))
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}

/**
 * The IPC_CALL handler: calls from any frame but our page's main frame are refused, channels and
 * arguments are checked against the contract, then the handler runs. `afterCall` sees each call
 * that succeeded (index.ts uses it to learn that the renderer is ready). Handlers run under
 * `pageSignal()` (see pageLifetime), so an open or save stops when the page that asked is gone.
 */
export function ipcCallHandler(
  handlers: ApiHandlers,
  afterCall: (channel: string) => void = () => {},
  pageSignal: () => AbortSignal | undefined = () => undefined
) {
  return async (event: Pick<IpcMainInvokeEvent, 'senderFrame'>, channel: unknown, args: unknown): Promise<unknown> => {
    if (!isTrustedFrame(event.senderFrame)) throw new Error('Blockspin refused a call from an untrusted frame.')
    if (!isChannel(channel))
      throw new Error(`Unknown channel "${typeof channel === 'string' ? channel.slice(0, 100) : typeof channel}".`)
    const checked = validateInput(channel, args)
    if (!checked.ok) throw new Error(checked.error)
    const handler = handlers[channel] as (...a: unknown[]) => Promise<unknown>
    const signal = pageSignal()
    const run = () => handler(...(checked.args as unknown[]))
    const result = await (signal ? withCallSignal(signal, run) : run())
    afterCall(channel)
    return result
  }
}

/**
 * The lifetime of the page in `contents`: `signal()` is aborted when the page reloads or
 * navigates (did-start-loading) or its contents are destroyed, and a fresh one serves the next
 * page — the desktop's counterpart of the web host aborting a closed socket's calls, so a large
 * open or save asked for by a page that is gone stops instead of running to its time limit.
 */
export function pageLifetime(contents: Pick<WebContents, 'on'>): { signal: () => AbortSignal } {
  let page = new AbortController()
  contents.on('did-start-loading', () => {
    page.abort(new Error('The page that asked for this was reloaded.'))
    page = new AbortController()
  })
  contents.on('destroyed', () => page.abort(new Error('The window that asked for this was closed.')))
  return { signal: () => page.signal }
}
