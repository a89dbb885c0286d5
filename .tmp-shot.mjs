import { chromium } from '@playwright/test'
const url = process.argv[2]; const out = process.argv[3]
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking'] })
const p = await b.newPage({ viewport: { width: 1440, height: 900 } })
p.on('pageerror', e => console.log('pageerror:', e.message))
await p.goto(url)
await p.waitForTimeout(1500)
await p.getByTestId('spf-input').fill('5'); await p.getByTestId('spf-input').press('Enter')
await p.getByTestId('play').click(); await p.waitForTimeout(6000)

await p.screenshot({ path: out })
await b.close()
