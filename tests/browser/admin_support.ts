import { SHOTS, sidewaysOverflow, sizes } from '#tests/browser/support'

/* Helpers shared by the administration browser tests. */

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
