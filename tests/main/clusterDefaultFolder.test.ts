import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { splitItem } from '@shared/cluster/split'
import { createApiHandlers } from '../../src-main/services/api'
import type { JobBroker } from '../../src-main/services/jobBroker'
import { ProjectFiles } from '../../src-main/services/projectFiles'
import { clusterProject } from '../shared/clusterFixtures'

// The desktop's Run on a cluster… starts with a folder: beside the open project's file, or Documents.

let dir: string
let documents: string
let files: ProjectFiles
beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'blockspin-cluster-folder-')))
  documents = join(dir, 'Documents')
  mkdirSync(documents)
  mkdirSync(join(dir, 'work'))
  files = new ProjectFiles({ appVersion: '2.0.0-test', stateDir: join(dir, 'state'), projectsRoot: dir })
})
afterEach(async () => {
  await files.close()
  rmSync(dir, { recursive: true, force: true })
})

function desktop(saveTo: string | null = null) {
  return createApiHandlers({
    host: 'electron',
    appVersion: '2.0.0-test',
    files,
    broker: {} as JobBroker,
    dialogs: { open: async () => null, save: async () => saveTo, folder: async () => null },
    projectsRoot: dir,
    documentsDir: documents
  })
}

const split = splitItem(clusterProject(), 'sweep1')
if ('error' in split) throw new Error(split.error)
const bundle = (parent: string) => ({
  parent,
  name: 'sweep1-bundle',
  manifest: split.manifest,
  tasks: split.tasks,
  slurm: { time: '01:00:00', mem: '2G', cpus: 1 }
})

describe('cluster.defaultFolder on the desktop', () => {
  it('is the folder of a project saved in this session, and a bundle can be written there without a dialog', async () => {
    const path = join(dir, 'work', 'fss.blockspin')
    const api = desktop(path)
    expect(await api['project.save']({ doc: clusterProject(), path: null, saveAs: true })).toMatchObject({
      status: 'saved',
      path
    })
    expect(await api['cluster.defaultFolder']({ projectPath: path })).toEqual({ path: join(dir, 'work') })
    const written = await api['cluster.export'](bundle(join(dir, 'work')))
    expect(written).toMatchObject({ ok: true, fullPath: join(dir, 'work', 'sweep1-bundle') })
    expect(existsSync(join(dir, 'work', 'sweep1-bundle', 'blockspin-array.sbatch'))).toBe(true)
  })

  it('is the documents folder for an unsaved project, or a path main never gave out', async () => {
    const api = desktop()
    expect(await api['cluster.defaultFolder']({ projectPath: null })).toEqual({ path: documents })
    expect(await api['cluster.defaultFolder']({ projectPath: join(dir, 'work', 'never-opened.blockspin') })).toEqual({
      path: documents
    })
    // That folder is not granted by being named: only the one suggested is.
    expect(await api['cluster.export'](bundle(join(dir, 'work')))).toMatchObject({ ok: false })
    expect(await api['cluster.export'](bundle(documents))).toMatchObject({ ok: true })
  })

  it('in a browser, leaves the folder to the page (the project’s folder inside the projects folder)', async () => {
    const api = createApiHandlers({
      host: 'web',
      appVersion: '2.0.0-test',
      files,
      broker: {} as JobBroker,
      projectsRoot: dir
    })
    expect(await api['cluster.defaultFolder']({ projectPath: 'work/p.blockspin' })).toHaveProperty('error')
  })
})
