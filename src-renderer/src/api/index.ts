import type { BlockspinApi } from '@shared/contract'
import { createWebApi } from './webClient'

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in a browser served by the web host. */
    blockspin?: BlockspinApi
  }
}

let instance: BlockspinApi | null = null

/**
 * The one way the renderer reaches its services. Under Electron it is the preload's
 * `window.blockspin`; in a browser it is a WebSocket client to the web host speaking the same
 * contract. Stores call this module, never `window.blockspin` directly.
 */
export function getApi(): BlockspinApi {
  if (!instance) instance = window.blockspin ?? createWebApi(window.location)
  return instance
}

/** Tests install a fake implementation. */
export function setApi(api: BlockspinApi | null): void {
  instance = api
}
