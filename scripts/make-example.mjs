// `node scripts/make-example.mjs`: remakes examples/paper-small.blockspin, the example project the
// first launch opens — the Mehta & Schwab 2014 template's small variant, run to the end through
// the CLI (`blockspin new … --template mehta-schwab-2014 --small`, then `blockspin run`).
import { spawnSync } from 'node:child_process'
import { mkdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { root } from './lib.mjs'

const target = join(root, 'examples', 'paper-small.blockspin')
const draft = join(root, 'examples', '.paper-small.draft.blockspin')
mkdirSync(join(root, 'examples'), { recursive: true })
rmSync(draft, { force: true })
const cli = (...args) => {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'blockspin.mjs'), ...args], { stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
cli('new', draft, '--template', 'mehta-schwab-2014', '--small')
cli('run', draft)
renameSync(draft, target)
console.log(`Wrote ${target}`)
