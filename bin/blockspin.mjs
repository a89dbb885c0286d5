#!/usr/bin/env node
// The `blockspin` command. Runs the built CLI; builds first when sources are newer.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ensureBuilt, root } from '../scripts/lib.mjs'

ensureBuilt({ quiet: true })
const { main } = await import(pathToFileURL(join(root, 'out', 'main', 'cli.js')).href)
process.exitCode = await main(process.argv.slice(2))
