/*
 * The agent opens a conversation with 5,000 messages (issue target: under 300 ms). Measured in Debian's
 * Chromium through Playwright against the real app: from the click on the conversation to its newest
 * message painted, five times; then the whole history is scrolled in, and the number of message
 * elements in the page shows the list stays virtualized.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chromium } from 'playwright'

const PORT = Number(process.env.BENCH_PORT ?? 3497)
const BASE = `http://127.0.0.1:${PORT}`
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 5000)
const RUNS = 5

async function waitFor(check: () => Promise<boolean>) {
  for (let i = 0; i < 600; i++) {
    try {
      if (await check()) return
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('the bench server did not start')
}

let server: ChildProcess | undefined
const browser = await chromium.launch({
  headless: true,
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
})
try {
  const migrate = spawnSync(process.execPath, ['ace', 'migration:run', '--force'], { stdio: 'inherit' })
  if (migrate.status !== 0) throw new Error('migrations failed')
  server = spawn(process.execPath, ['--import', '@poppinss/ts-exec', 'bench/message_list_server.ts'], {
    // DEV_MODE: the Vite dev server runs inside the app, as under `npm run dev`.
    env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', APP_URL: BASE, LOG_LEVEL: 'warn', NODE_ENV: 'development', DEV_MODE: 'true', WORKER_IN_WEB: 'false', SESSION_DRIVER: 'cookie' },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  await waitFor(async () => (await fetch(`${BASE}/health/live`)).ok)
  const setup = (await (await fetch(`${BASE}/api/__bench/conversation`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer bench' }, body: JSON.stringify({ messages: MESSAGES }) })).json()) as { email: string; password: string; conversationId: number; lastText: string }

  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'pt-BR' })
  await page.goto(`${BASE}/login`)
  await page.getByLabel('E-mail').fill(setup.email)
  await page.getByLabel('Senha').fill(setup.password)
  await page.getByRole('button', { name: 'Entrar' }).click()
  await page.waitForURL((url) => url.pathname === '/')
  const row = page.locator(`[data-testid="conversation-row"][data-conversation="${setup.conversationId}"]`)
  await row.waitFor({ timeout: 60_000 })

  const timings: number[] = []
  for (let run = 0; run <= RUNS; run++) {
    // Page code as strings: this file is type-checked for Node, without the DOM's types.
    await page.evaluate(`document.querySelector('[aria-label="Voltar para a lista"]')?.click()`)
    const started = Date.now()
    await row.click()
    await page.locator('[data-testid="message"]', { hasText: setup.lastText }).first().waitFor()
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => resolve(null)))')
    if (run > 0) timings.push(Date.now() - started) // run 0 warms up Vite and the JIT
    await page.getByRole('tab', { name: 'Todas' }).click()
  }

  // The whole history, page by page, as an agent scrolling up would load it.
  await row.click()
  await page.locator('[data-testid="message"]', { hasText: setup.lastText }).first().waitFor()
  const historyStarted = Date.now()
  for (let i = 0; i < 400; i++) {
    const done = await page.evaluate(`(() => {
      const list = document.querySelector('[data-testid="message-list"]')
      list.scrollTop = 0
      list.dispatchEvent(new Event('scroll'))
      return document.body.innerText.includes('mensagem 1 —')
    })()`)
    if (done) break
    await page.waitForTimeout(50)
  }
  const historyMs = Date.now() - historyStarted
  const rendered = await page.locator('[data-testid="message"]').count()

  timings.sort((a, b) => a - b)
  console.log(`conversation with ${MESSAGES} messages, opened ${RUNS} times in Chromium (1366×768):`)
  console.log(`open → newest message painted: p50 ${timings[Math.floor(timings.length / 2)]} ms, max ${timings.at(-1)} ms (target < 300 ms)`)
  console.log(`scrolling in the whole history (pages of 50): ${historyMs} ms; message elements in the page at the top: ${rendered} (virtualized)`)
} finally {
  await browser.close()
  server?.kill('SIGTERM')
}
