import type { Page } from 'playwright'
import { DEFAULT_TEST_PASSWORD } from '#database/factories/user_factory'
import type { Member } from '#tests/helpers/tenancy'

/** What every browser test shares: where screenshots go, the two sizes, signing in, waiting. */
export const SHOTS = 'tests/browser/screenshots'
export const sizes = { desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } }

/** Signs in through the real login page (pt-BR) at the desktop size and waits for the inbox. */
export async function signIn(visit: (url: string) => Promise<Page>, who: Member | string) {
  const page = await visit('/login')
  await page.setViewportSize(sizes.desktop)
  await page.getByLabel('E-mail').fill(typeof who === 'string' ? who : who.user.email)
  await page.getByLabel('Senha').fill(DEFAULT_TEST_PASSWORD)
  await page.getByRole('button', { name: 'Entrar' }).click()
  await page.waitForURL((url: URL) => url.pathname === '/')
  return page
}

/** Polls something the page does not announce (the fake provider, the database) until it holds. */
export async function until(probe: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Pixels the page or its scrolling main area would scroll sideways (0 when it fits). */
export async function sidewaysOverflow(page: Page): Promise<number> {
  return Number(
    await page.evaluate(`Math.max(
      document.documentElement.scrollWidth - document.documentElement.clientWidth,
      ...[...document.querySelectorAll('main')].map((main) => main.scrollWidth - main.clientWidth)
    )`)
  )
}

export async function noHorizontalScroll(page: Page) {
  return (await sidewaysOverflow(page)) <= 0
}
