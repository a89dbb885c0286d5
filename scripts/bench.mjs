// `npm run bench`: builds if needed, then runs tests/bench/run.ts (report in reports/bench.json).
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { ensureBuilt, root } from './lib.mjs'

ensureBuilt()
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', join(root, 'tests', 'bench', 'run.ts'), ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' }
)
process.exit(r.status ?? 1)
