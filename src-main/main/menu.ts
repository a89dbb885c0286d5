import { Menu, type MenuItemConstructorOptions } from 'electron'
import { basename } from 'node:path'
import type { MenuCommand, RecentEntry } from '@shared/contract'

/** The application menu. File commands go to the renderer, which owns the open project. */
export function buildMenu(opts: { recent: RecentEntry[]; send: (command: MenuCommand) => void }): Menu {
  const { send } = opts
  const isMac = process.platform === 'darwin'
  const recentItems: MenuItemConstructorOptions[] = opts.recent.length
    ? opts.recent.map((r) => ({
        label: basename(r.path),
        sublabel: r.path,
        enabled: r.exists,
        click: () => send(`openRecent:${r.path}`)
      }))
    : [{ label: 'No recent projects', enabled: false }]
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: '&New Project', accelerator: 'CmdOrCtrl+N', click: () => send('new') },
        { label: '&Open…', accelerator: 'CmdOrCtrl+O', click: () => send('open') },
        { label: 'Open &Recent', submenu: recentItems },
        { type: 'separator' },
        { label: '&Save', accelerator: 'CmdOrCtrl+S', click: () => send('save') },
        { label: 'Save &As…', accelerator: 'CmdOrCtrl+Shift+S', click: () => send('saveAs') },
        { type: 'separator' },
        { label: '&Merge Cluster Results…', click: () => send('mergeResults') },
        { type: 'separator' },
        { label: '&Close Project', accelerator: 'CmdOrCtrl+W', click: () => send('close') },
        ...(isMac ? [] : [{ type: 'separator' as const }, { role: 'quit' as const }])
      ]
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: '&Guide', accelerator: 'F1', click: () => send('guide') },
        { type: 'separator' },
        { label: 'About Blockspin', role: 'about' }
      ]
    }
  ]
  return Menu.buildFromTemplate(template)
}
