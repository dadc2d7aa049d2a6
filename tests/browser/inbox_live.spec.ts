import { test } from '@japa/runner'
import { createMember } from '#tests/helpers/tenancy'
import { controllableRealtime, recordNotifications, whatsappWorld } from '#tests/browser/inbox_support'
import { SHOTS, signIn, until } from '#tests/browser/support'

/** The inbox stays current without reloads: new conversations ring, and a dropped connection catches up. */
test.group('The agent inbox, live', (group) => {
  const world = whatsappWorld(group)

  test('a new conversation rings and shows a desktop notification while the option is on, not after it is turned off', async ({ visit, client, assert, browserContext }) => {
    await recordNotifications(browserContext)
    const admin = await createMember(null, 'admin')
    const webhook = await world.inbox(client, admin)
    const page = await signIn(visit, admin)
    await page.getByRole('tab', { name: 'Todas' }).click()
    const option = page.getByLabel('Som e notificação para novas conversas')
    assert.isTrue(await option.isChecked()) // the profile's notification sound is on

    ;(await client.post(webhook).json(world.evolution.text({ lid: null, id: 'NEW-1', phone: '5511988880001', name: 'Joana Prado', text: 'Minha internet caiu' }))).assertStatus(200)
    await page.locator('[data-testid="conversation-row"]', { hasText: 'Joana Prado' }).waitFor()
    await page.waitForFunction('window.__notifications.length === 1')
    const [shown] = (await page.evaluate('window.__notifications')) as { title: string; body: string }[]
    assert.equal(shown.title, 'Nova conversa de Joana Prado')
    assert.equal(shown.body, 'Minha internet caiu')
    assert.isAtLeast(Number(await page.evaluate('window.__beeps')), 1)

    await option.uncheck()
    const beeps = Number(await page.evaluate('window.__beeps'))
    ;(await client.post(webhook).json(world.evolution.text({ lid: null, id: 'NEW-2', phone: '5511988880002', name: 'Caio Lima', text: 'Boa tarde' }))).assertStatus(200)
    await page.locator('[data-testid="conversation-row"]', { hasText: 'Caio Lima' }).waitFor()
    await page.waitForTimeout(500)
    assert.lengthOf((await page.evaluate('window.__notifications')) as unknown[], 1)
    assert.equal(Number(await page.evaluate('window.__beeps')), beeps)

    // The choice stays after a reload.
    await page.reload()
    assert.isFalse(await page.getByLabel('Som e notificação para novas conversas').isChecked())
  })

  test('a message that arrives while the page is still subscribing shows up all the same', async ({ visit, client, browserContext }) => {
    const admin = await createMember(null, 'admin')
    const webhook = await world.inbox(client, admin)
    // The server takes no subscription until the message is stored: its live frame reaches nobody here.
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    await browserContext.route('**/__transmit/subscribe', async (route) => {
      await held
      await route.continue()
    })
    const page = await signIn(visit, admin)
    await page.getByRole('tab', { name: 'Todas' }).click()
    await page.locator('[data-testid="inbox-empty"]').waitFor()

    ;(await client.post(webhook).json(world.evolution.text({ lid: null, id: 'EARLY-1', phone: '5511988880005', name: 'Lia Torres', text: 'Oi, tudo bem?' }))).assertStatus(200)
    release()
    await page.locator('[data-testid="conversation-row"]', { hasText: 'Lia Torres' }).waitFor({ timeout: 10_000 })
  })

  test('the customer typing shows under the conversation; the agent typing reaches WhatsApp', async ({ visit, client, assert }) => {
    const admin = await createMember(null, 'admin')
    const webhook = await world.inbox(client, admin)
    ;(await client.post(webhook).json(world.evolution.text({ lid: null, id: 'TYPE-1', phone: '5511988880006', name: 'Beatriz Melo', text: 'Oi' }))).assertStatus(200)
    const page = await signIn(visit, admin)
    await page.getByRole('tab', { name: 'Todas' }).click()
    await page.locator('[data-testid="conversation-row"]', { hasText: 'Beatriz Melo' }).click()
    await page.locator('[data-testid="message"]', { hasText: 'Oi' }).waitFor()
    await page.waitForTimeout(500) // the conversation's channel is subscribed

    const jid = '5511988880006@s.whatsapp.net'
    const presence = (state: string) => ({ event: 'presence.update', instance: world.evolution.instance, apikey: world.evolution.apiKey, data: { id: jid, presences: { [jid]: { lastKnownPresence: state } } } })
    ;(await client.post(webhook).json(presence('composing'))).assertStatus(200)
    const indicator = page.getByTestId('typing-indicator')
    await page.waitForFunction(`document.querySelector('[data-testid="typing-indicator"]')?.textContent?.includes('digitando')`)
    assert.equal((await indicator.textContent())?.trim(), 'Beatriz Melo está digitando…')
    await page.screenshot({ path: `${SHOTS}/inbox-customer-typing.png` })
    ;(await client.post(webhook).json(presence('paused'))).assertStatus(200)
    await page.waitForFunction(`!document.querySelector('[data-testid="typing-indicator"]')?.textContent?.trim()`)

    await page.getByTestId('composer').fill('Um momento')
    const sentPresence = () => world.evolution.requests.filter((r) => r.path.startsWith('/chat/sendPresence')).map((r) => r.body.presence)
    await until(() => sentPresence().includes('composing'), 'the composing presence')
    assert.deepEqual(sentPresence(), ['composing'])
    await page.getByTestId('composer').press('Enter')
    await until(() => sentPresence().includes('paused'), 'the paused presence')
    assert.deepEqual(sentPresence(), ['composing', 'paused'])
  })

  test('after the realtime connection drops, what happened meanwhile arrives when it comes back', async ({ visit, client, browserContext, assert }) => {
    await controllableRealtime(browserContext)
    const admin = await createMember(null, 'admin')
    const webhook = await world.inbox(client, admin)
    const page = await signIn(visit, admin)
    await page.getByRole('tab', { name: 'Todas' }).click()
    await page.locator('[data-testid="inbox-empty"]').waitFor()
    // Subscriptions are made; the stream is cut.
    await page.waitForTimeout(500)
    await page.evaluate('window.__dropRealtime()')

    ;(await client.post(webhook).json(world.evolution.text({ lid: null, id: 'MISSED-1', phone: '5511988880003', name: 'Rita Alves', text: 'Alguém aí?' }))).assertStatus(200)
    await page.waitForTimeout(1000)
    assert.equal(await page.locator('[data-testid="conversation-row"]').count(), 0) // nothing heard while cut
    // The agent is told that live updates are paused, and when they are back.
    assert.include(await page.getByTestId('realtime-offline').textContent(), 'reconectando')
    await page.screenshot({ path: `${SHOTS}/inbox-reconnecting.png` })

    await page.evaluate('window.__restoreRealtime()')
    await page.getByTestId('realtime-offline').waitFor({ state: 'detached' })
    await page.locator('[data-testid="conversation-row"]', { hasText: 'Rita Alves' }).waitFor({ timeout: 10_000 })

    // And live frames flow again on the restored stream.
    ;(await client.post(webhook).json(world.evolution.text({ lid: null, id: 'AFTER-1', phone: '5511988880004', name: 'Davi Rocha', text: 'Olá' }))).assertStatus(200)
    await page.locator('[data-testid="conversation-row"]', { hasText: 'Davi Rocha' }).waitFor({ timeout: 10_000 })
  })
})
