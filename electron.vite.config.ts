import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'
import { viteAliases } from './scripts/aliases.mjs'

// @core/* → src-core/*, @shared/* → src-main/shared/* in every build (as in tsconfig.base.json).
const alias = viteAliases(__dirname)

// One build for every process. The Node-side entries (Electron main, job worker, project codec
// thread, web host, CLI)
// share chunks; the preload is CommonJS because a sandboxed preload cannot be an ES module.
export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/main/index.ts'),
          worker: resolve(__dirname, 'src-main/utility/worker.ts'),
          projectCodecThread: resolve(__dirname, 'src-main/services/projectCodecThread.ts'),
          web: resolve(__dirname, 'src-main/web/index.ts'),
          cli: resolve(__dirname, 'src-main/cli/index.ts')
        }
      }
    }
  },
  preload: {
    resolve: { alias },
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    resolve: { alias },
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } }
    },
    plugins: [vue()]
  }
})
