import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import { viteAliases } from './scripts/aliases.mjs'

// @core/* and @shared/* as in tsconfig.base.json; inline projects do not inherit the root's resolve.
const alias = viteAliases()

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'tests/core/**/*.test.ts',
            'tests/shared/**/*.test.ts',
            'tests/main/**/*.test.ts',
            'tests/interop/**/*.test.ts'
          ],
          testTimeout: 60_000,
          hookTimeout: 60_000
        }
      },
      {
        plugins: [vue()],
        resolve: { alias },
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['tests/renderer/**/*.test.ts'],
          testTimeout: 30_000
        }
      }
    ]
  }
})
