#!/usr/bin/env node
// The `blockspin` command. Runs the built CLI; builds first when sources are newer.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ensureBuilt, root } from '../scripts/lib.mjs'

// Output piped into a reader that stops early (`blockspin info x | head`) ends quietly.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw e
  })
ensureBuilt({ quiet: true })
const { main } = await import(pathToFileURL(join(root, 'out', 'main', 'cli.js')).href)
process.exitCode = await main(process.argv.slice(2))
