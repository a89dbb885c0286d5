// `npm run web`: build if needed, then serve Blockspin to a browser on 127.0.0.1.
// Options: --root DIR (projects folder; default ~/Documents/Blockspin), --port N.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ensureBuilt, root } from './lib.mjs'

ensureBuilt()
await import(pathToFileURL(join(root, 'out', 'main', 'web.js')).href)
