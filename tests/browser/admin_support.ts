import { DEFAULT_TEST_PASSWORD } from '#database/factories/user_factory'

/** Helpers shared by the administration browser tests. */
export const SHOTS = 'tests/browser/screenshots'
export const sizes = { desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } }

/** Signs in through the real login page (pt-BR) and waits for the inbox. */
export async function signIn(visit: any, email: string) {
  const page = await visit('/login')
  await page.setViewportSize(sizes.desktop)
  await page.getByLabel('E-mail').fill(email)
  await page.getByLabel('Senha').fill(DEFAULT_TEST_PASSWORD)
  await page.getByRole('button', { name: 'Entrar' }).click()
  await page.waitForURL((url: URL) => url.pathname === '/')
  return page
}

/** How far the page scrolls sideways (0 when nothing overflows the viewport). */
export async function sidewaysOverflow(page: any): Promise<number> {
  return Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'))
}

/** Full-page screenshots at the desktop and phone sizes, light and (optionally) dark. */
export async function shootBoth(page: any, name: string, assert: any, dark = false) {
  await page.setViewportSize(sizes.desktop)
  await page.screenshot({ path: `${SHOTS}/${name}-desktop.png`, fullPage: true })
  await page.setViewportSize(sizes.phone)
  assert.isAtMost(await sidewaysOverflow(page), 0, `${name} scrolls sideways at 390 px`)
  await page.screenshot({ path: `${SHOTS}/${name}-phone.png`, fullPage: true })
  if (dark) {
    await page.evaluate('document.documentElement.classList.add("dark")')
    await page.screenshot({ path: `${SHOTS}/${name}-phone-dark.png`, fullPage: true })
    await page.setViewportSize(sizes.desktop)
    await page.screenshot({ path: `${SHOTS}/${name}-desktop-dark.png`, fullPage: true })
    await page.evaluate('document.documentElement.classList.remove("dark")')
  }
  await page.setViewportSize(sizes.desktop)
}

/**
 * Clicks, then waits for a success toast with this text that appeared after the click (an older
 * toast with the same text may still be on screen).
 */
export async function clickForToast(page: any, target: any, text: string) {
  const ids: string[] = await page.locator('[data-toast-id]').evaluateAll((els: any[]) => els.map((e) => e.getAttribute('data-toast-id') ?? '0'))
  const last = Math.max(0, ...ids.map(Number))
  await target.click()
  await page.waitForFunction(
    `[...document.querySelectorAll('[data-toast-id]')].some((e) => Number(e.getAttribute('data-toast-id')) > ${last} && e.textContent.includes(${JSON.stringify(text)}))`
  )
}

/** Polls until `probe` holds (for effects the page does not announce, such as a stored change). */
export async function until(probe: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
