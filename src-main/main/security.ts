import type { IpcMainInvokeEvent, Session, WebContents } from 'electron'
import { isChannel, validateInput, type ApiHandlers } from '@shared/contract'
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
 * that succeeded (index.ts uses it to learn that the renderer is ready).
 */
export function ipcCallHandler(handlers: ApiHandlers, afterCall: (channel: string) => void = () => {}) {
  return async (event: Pick<IpcMainInvokeEvent, 'senderFrame'>, channel: unknown, args: unknown): Promise<unknown> => {
    if (!isTrustedFrame(event.senderFrame)) throw new Error('Blockspin refused a call from an untrusted frame.')
    if (!isChannel(channel))
      throw new Error(`Unknown channel "${typeof channel === 'string' ? channel.slice(0, 100) : typeof channel}".`)
    const checked = validateInput(channel, args)
    if (!checked.ok) throw new Error(checked.error)
    const handler = handlers[channel] as (...a: unknown[]) => Promise<unknown>
    const result = await handler(...(checked.args as unknown[]))
    afterCall(channel)
    return result
  }
}
