import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import type { Row } from '../bench/row'
import { benchSlurmCluster, whyNot } from '../bench/slurmCluster'

/** `npm run bench`'s cluster rows where Slurm cannot start: each says why, and the bench goes on. */

it('gives each cluster row the reason Slurm could not start, without failing the bench', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'blockspin-bench-noslurm-'))
  try {
    const script = join(dir, 'slurm-local.sh')
    writeFileSync(script, '#!/bin/sh\n[ "$1" = stop ] && exit 0\necho "slurmctld did not come up" >&2\nexit 1\n')
    chmodSync(script, 0o755)
    const rows: Row[] = [{ name: 'an earlier row', value: 1, unit: 's' }]
    await benchSlurmCluster(rows, script)
    const reason = whyNot() ?? 'Slurm could not start: slurmctld did not come up'
    expect(rows.slice(1)).toEqual(
      [
        'Cluster sweep 16 points, local Slurm vs app',
        'Cluster merge of 16 results',
        'Cluster task overhead (near-empty task)'
      ].map((name) => ({ name, value: null, unit: 's', note: `not measured: ${reason}` }))
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
