import { AsyncLocalStorage } from 'node:async_hooks'

/**
 * The AbortSignal of the call being answered, for work that is worth stopping when the caller
 * is gone: the web host runs each call of a page's WebSocket under its socket's signal, aborted
 * when the socket closes, and the project handlers (api.ts) hand it to the codec's worker
 * threads, which are then terminated instead of running on to their time limit. A context
 * rather than a parameter, so the contract's handler signatures stay what the page calls.
 */
const current = new AsyncLocalStorage<AbortSignal>()

/** Runs `work` (and everything it awaits) with `signal` as the call's signal. */
export function withCallSignal<T>(signal: AbortSignal, work: () => T): T {
  return current.run(signal, work)
}

/** The signal of the call under way, or undefined outside one (Electron's IPC, the CLI, tests). */
export function callSignal(): AbortSignal | undefined {
  return current.getStore()
}
