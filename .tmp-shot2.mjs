import { chromium } from '@playwright/test'
const url = process.argv[2]; const out = process.argv[3]
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking'] })
const p = await b.newPage({ viewport: { width: 1440, height: 900 } })
p.on('pageerror', e => console.log('pageerror:', e.message))
await p.goto(url)
await p.waitForTimeout(1000)
await p.getByTestId('theme').click()
await p.getByTestId('presenter').click()
await p.getByTestId('play').click(); await p.waitForTimeout(4000)
await p.screenshot({ path: out })
await b.close()
