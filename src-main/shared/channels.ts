/**
 * Channel and event names of the contract, without any runtime dependency: the sandboxed
 * preload imports only this file (it cannot load npm packages such as the schema library).
 * `contract.ts` declares the schemas and types for exactly these names.
 */
export const CHANNELS = [
  'app.info',
  'project.openDialog',
  'project.open',
  'project.openBytes',
  'project.openExample',
  'project.save',
  'project.recent',
  'files.list',
  'files.mkdir',
  'recovery.save',
  'recovery.list',
  'recovery.load',
  'recovery.discard',
  'window.setState',
  'jobs.start',
  'jobs.control',
  'jobs.command',
  'jobs.snapshot',
  'jobs.list',
  'jobs.dismiss',
  'cluster.chooseFolder',
  'cluster.defaultFolder',
  'cluster.export',
  'cluster.read',
  'cluster.submit',
  'cluster.status'
] as const

export const EVENT_NAMES = ['jobs.update', 'jobs.frame', 'jobs.result', 'menu'] as const

/** IPC channel names used by the Electron transport. */
export const IPC_CALL = 'blockspin:call'
export const IPC_EVENT = 'blockspin:event'
