import { app, BrowserWindow, dialog, ipcMain, Menu, session, type IpcMainInvokeEvent } from 'electron'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createApiHandlers, subscribeBrokerEvents } from '../services/api'
import { JobBroker } from '../services/jobBroker'
import { ProjectFiles } from '../services/projectFiles'
import { IPC_CALL, IPC_EVENT } from '@shared/channels'
import type { EventName, Events, MenuCommand } from '@shared/contract'
import { EXAMPLE_FILE } from '../services/exampleProject'
import { buildMenu } from './menu'
import { ipcCallHandler, pageLifetime, refuseNavigation, refusePermissionsAndDevices } from './security'
import { spawnUtilityWorker } from './utilitySpawn'
import { createMainWindow } from './window'

/**
 * Electron main process: windows, menus, dialogs, file I/O and the job broker. Everything it
 * does beyond Electron glue lives in src-main/services, shared with the web host.
 */
const here = fileURLToPath(new URL('.', import.meta.url))
const APP_VERSION = app.getVersion()

let mainWindow: BrowserWindow | null = null
let windowDirty = false
let forceClose = false

const files = new ProjectFiles({ appVersion: APP_VERSION, stateDir: app.getPath('userData') })
const broker = new JobBroker({
  spawn: (jobId) => spawnUtilityWorker(join(here, 'worker.js'), jobId),
  maxBatchJobs: Math.max(1, cpus().length - 1),
  log: (line) => console.log(line)
})

function emit<E extends EventName>(name: E, payload: Events[E]): void {
  mainWindow?.webContents.send(IPC_EVENT, name, payload)
}

function sendMenu(command: MenuCommand): void {
  emit('menu', { command })
}

async function refreshMenu(): Promise<void> {
  const recent = await files.recent()
  Menu.setApplicationMenu(buildMenu({ recent, send: sendMenu }))
}

const handlers = createApiHandlers({
  host: 'electron',
  appVersion: APP_VERSION,
  files,
  broker,
  projectsRoot: ProjectFiles.defaultProjectsRoot(),
  documentsDir: app.getPath('documents'),
  dialogs: {
    async open() {
      const r = await dialog.showOpenDialog(mainWindow!, {
        title: 'Open Blockspin project',
        properties: ['openFile'],
        filters: [{ name: 'Blockspin project', extensions: ['blockspin'] }]
      })
      return r.canceled ? null : (r.filePaths[0] ?? null)
    },
    async save(defaultPath) {
      const r = await dialog.showSaveDialog(mainWindow!, {
        title: 'Save Blockspin project',
        defaultPath,
        filters: [{ name: 'Blockspin project', extensions: ['blockspin'] }]
      })
      return r.canceled ? null : (r.filePath ?? null)
    },
    async folder(purpose) {
      const r = await dialog.showOpenDialog(mainWindow!, {
        title: purpose === 'export' ? 'Folder to write the cluster bundle in' : 'Cluster bundle to merge',
        properties: ['openDirectory', 'createDirectory']
      })
      return r.canceled ? null : (r.filePaths[0] ?? null)
    }
  },
  setWindowState({ title, dirty }) {
    windowDirty = dirty
    if (!mainWindow) return
    mainWindow.setTitle(title)
    // The edited dot in the title bar's close button exists on macOS only.
    if (process.platform === 'darwin') mainWindow.setDocumentEdited(dirty)
  },
  onRecentChanged: () => void refreshMenu(),
  // Packaged with the app (electron-builder's files include examples/); in development, the repository's.
  examplePath: join(app.getAppPath(), 'examples', EXAMPLE_FILE)
})

subscribeBrokerEvents(broker, emit)

/**
 * A .blockspin file handed over by the operating system (double-click, "Open with", drag onto
 * the dock icon, a second launch): it joins the recent list — the paths main trusts — and the
 * renderer opens it like any recent file, asking first if there is unsaved work.
 */
const pendingFiles: string[] = []
let rendererReady = false
async function openFromSystem(path: string): Promise<void> {
  if (!path.toLowerCase().endsWith('.blockspin')) return
  await files.addRecent(path)
  await refreshMenu()
  if (rendererReady) sendMenu(`openRecent:${path}`)
  else pendingFiles.push(path)
}
const filesIn = (argv: string[]) =>
  argv.slice(1).filter((a) => !a.startsWith('-') && a.toLowerCase().endsWith('.blockspin'))

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', (_e, argv) => {
    for (const f of filesIn(argv)) void openFromSystem(f)
    if (mainWindow?.isMinimized()) mainWindow.restore()
    mainWindow?.focus()
  })
}
app.on('open-file', (e, path) => {
  e.preventDefault()
  void openFromSystem(path)
})

let pageSignal: () => AbortSignal | undefined = () => undefined
const answerCall = ipcCallHandler(
  handlers,
  (channel) => {
    if (channel === 'app.info' && !rendererReady) {
      // The renderer asks app.info first and subscribes to menu commands right after: files the
      // system handed over before then are delivered now.
      setTimeout(() => {
        rendererReady = true
        for (const f of pendingFiles.splice(0)) sendMenu(`openRecent:${f}`)
      }, 0)
    }
  },
  () => pageSignal()
)
ipcMain.handle(IPC_CALL, (event: IpcMainInvokeEvent, channel: unknown, args: unknown) =>
  answerCall(event, channel, args)
)

// Deny every navigation, new window and webview, in every web contents.
app.on('web-contents-created', (_e, contents) => refuseNavigation(contents))

app.whenReady().then(async () => {
  // No permission (camera, notifications, …) and no device is ever needed.
  refusePermissionsAndDevices(session.defaultSession)
  await refreshMenu()
  mainWindow = createMainWindow({ preload: join(here, '../preload/index.cjs'), rendererDir: join(here, '../renderer') })
  mainWindow.on('close', (e) => {
    if (forceClose || !windowDirty) return
    e.preventDefault()
    const choice = dialog.showMessageBoxSync(mainWindow!, {
      type: 'warning',
      buttons: ['Save', "Don't Save", 'Cancel'],
      defaultId: 0,
      cancelId: 2,
      message: 'Do you want to save the changes to this project?',
      detail: "Your changes will be lost if you don't save them."
    })
    if (choice === 0) sendMenu('closeWindow')
    else if (choice === 1) {
      forceClose = true
      mainWindow!.close()
    }
  })
  pageSignal = pageLifetime(mainWindow.webContents).signal
  mainWindow.webContents.on('did-start-loading', () => {
    rendererReady = false
  })
  for (const f of filesIn(process.argv)) void openFromSystem(f)
  mainWindow.on('closed', () => {
    mainWindow = null
  })
})

app.on('window-all-closed', () => {
  void Promise.all([broker.shutdown(), files.close()]).finally(() => app.quit())
})
