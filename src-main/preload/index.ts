import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { CHANNELS, EVENT_NAMES, IPC_CALL, IPC_EVENT } from '@shared/channels'

/**
 * Sandboxed preload: exposes `window.blockspin` — one named function per contract channel and
 * `on(event, listener)` — and nothing else (never ipcRenderer itself). Payloads are validated in
 * the main process.
 */
const api: Record<string, unknown> = {}
for (const channel of CHANNELS) {
  api[channel] = (...args: unknown[]) => ipcRenderer.invoke(IPC_CALL, channel, args)
}
api['on'] = (event: string, listener: (payload: unknown) => void) => {
  if (!(EVENT_NAMES as readonly string[]).includes(event)) throw new Error(`Unknown event "${event}".`)
  const handler = (_e: IpcRendererEvent, name: string, payload: unknown) => {
    if (name === event) listener(payload)
  }
  ipcRenderer.on(IPC_EVENT, handler)
  return () => {
    ipcRenderer.removeListener(IPC_EVENT, handler)
  }
}
contextBridge.exposeInMainWorld('blockspin', api)
