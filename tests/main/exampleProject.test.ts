import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApiHandlers } from '../../src-main/services/api'
import type { JobBroker } from '../../src-main/services/jobBroker'
import { ProjectFiles } from '../../src-main/services/projectFiles'
import { EXAMPLE_FILE } from '../../src-main/services/exampleProject'
import { parseWebArgs } from '../../src-main/web/args'

const FIXTURE = resolve('tests/fixtures/project-v3/rg.blockspin')
let dir: string
let files: ProjectFiles
beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'blockspin-example-')))
  files = new ProjectFiles({ appVersion: '2.0.0-test', stateDir: join(dir, 'state'), projectsRoot: dir })
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const api = (host: 'web' | 'electron', examplePath: string | null) =>
  createApiHandlers({ host, appVersion: '2.0.0-test', files, broker: {} as JobBroker, projectsRoot: dir, examplePath })

describe('project.openExample', () => {
  it('opens the shipped example as an untitled copy, neither granted nor remembered', async () => {
    for (const host of ['web', 'electron'] as const) {
      const out = await api(host, FIXTURE)['project.openExample']()
      expect(out).toMatchObject({ status: 'opened', path: null, name: 'rg' })
      if (out.status !== 'opened') throw new Error('not opened')
      expect(out.doc.project.analyses.map((a) => a.kind)).toContain('rg.cascade')
    }
    expect(await files.recent()).toEqual([])
    // A desktop save to the example's path is refused: the path was never granted.
    const again = await api('web', FIXTURE)['project.openExample']()
    if (again.status !== 'opened') throw new Error('not opened')
    const saved = await api('electron', FIXTURE)['project.save']({
      doc: again.doc as never,
      path: FIXTURE,
      saveAs: false
    })
    expect(saved).toMatchObject({ status: 'error', error: { tag: 'not-permitted' } })
    expect(readFileSync(FIXTURE).length).toBeGreaterThan(0)
  })

  it("is 'absent' when this copy has no example, or none is configured", async () => {
    expect(await api('web', join(dir, 'missing.blockspin'))['project.openExample']()).toEqual({ status: 'absent' })
    expect(await api('web', null)['project.openExample']()).toEqual({ status: 'absent' })
  })

  it('web host: --example FILE, --example none, or the bundled one by default', () => {
    const cwd = resolve('/tmp/work')
    expect(parseWebArgs([], cwd)).not.toHaveProperty('example')
    expect(parseWebArgs(['--example', 'x/demo.blockspin'], cwd).example).toBe(resolve(cwd, 'x/demo.blockspin'))
    expect(parseWebArgs(['--example=none'], cwd).example).toBeNull()
    expect(() => parseWebArgs(['--example='], cwd)).toThrow(/--example needs a project file, or 'none'/)
  })

  it('the repository ships the example where both hosts look, and the desktop package includes it', async () => {
    const shipped = resolve('examples', EXAMPLE_FILE)
    const out = await api('web', shipped)['project.openExample']()
    expect(out).toMatchObject({ status: 'opened', path: null })
    const builder = readFileSync(resolve('build/electron-builder.yml'), 'utf8')
    expect(builder).toMatch(/^files:(\n\s+(#.*|- .*))*\n\s+- examples\/\*\*$/m)
  })
})
