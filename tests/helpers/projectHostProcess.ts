import { monitorEventLoopDelay } from 'node:perf_hooks'
import { startProjectHost } from './projectHost'

/**
 * The web host with the real project services in a process of its own (forked by tests), so a
 * test can measure the host's event loop apart from the page's client. Sends { url, port } once
 * listening; answers 'delay' with the longest event-loop stall (ms) since the last 'delay'.
 */
const fx = await startProjectHost()
const histogram = monitorEventLoopDelay({ resolution: 10 })
histogram.enable()
process.on('message', (message: unknown) => {
  if (message === 'delay') {
    process.send?.({ delayMs: histogram.max / 1e6 })
    histogram.reset()
  } else if (message === 'stop') {
    void fx.close().then(() => process.exit(0))
  }
})
process.on('disconnect', () => void fx.close().then(() => process.exit(0)))
process.send?.({ url: fx.host.url, port: fx.host.port })
