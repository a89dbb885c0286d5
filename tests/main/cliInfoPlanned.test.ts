import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { plannedDataset } from '@shared/cluster/planned'
import { encodeProject } from '@shared/project/codec'
import { cli } from '../helpers/cli'
import { clusterProject } from '../shared/clusterFixtures'

/** `blockspin info` on a project holding a dataset planned for a cluster. */

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'blockspin-info-planned-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function write(thin: 'auto' | number, keepSamples: boolean): string {
  const doc = clusterProject()
  doc.project.datasets.push(
    plannedDataset({
      id: 'data2',
      name: '40,000 samples of Ferromagnet',
      modelId: 'm1',
      algorithm: 'wolff',
      seed: 123,
      samples: 40000,
      burnIn: 1000,
      thin,
      keepSamples,
      now: new Date('2025-01-01T00:00:00Z')
    })
  )
  const file = join(dir, `planned-${thin}.blockspin`)
  writeFileSync(file, encodeProject(doc, '0.0.0-test'))
  return file
}

describe('blockspin info with a planned dataset', () => {
  it('says it is planned for a cluster, with its thinning, beside the datasets that have samples', async () => {
    const r = await cli('info', write('auto', true))
    expect(r.code).toBe(0)
    expect(r.log).toContain('\nDatasets (2)\n')
    expect(r.log).toContain(
      '  data1  Samples at K = 0.3: 400 samples of m1 by Wolff cluster, seed 11, every 2 sweeps\n'
    )
    expect(r.log).toContain(
      '  data2  40,000 samples of Ferromagnet: 40000 samples of m1 by Wolff cluster, seed 123, thinning auto (a pilot run per shard); planned for a cluster, no samples yet (configurations to be kept)'
    )
    const fixed = await cli('info', write(7, false))
    expect(fixed.log).toContain(
      'seed 123, every 7 sweeps; planned for a cluster, no samples yet (configurations not kept)'
    )
    const json = JSON.parse((await cli('info', write('auto', true), '--json')).log) as {
      datasets: { id: string; summary?: unknown }[]
    }
    expect(json.datasets[1]).toMatchObject({ id: 'data2', summary: { planned: true, thin: 'auto', keepSamples: true } })
  })
})
