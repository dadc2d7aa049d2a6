import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { createMember } from '#tests/helpers/tenancy'
import { signIn } from '#tests/browser/support'

const SHOTS = 'tests/browser/screenshots'

test.group('Internal chat', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('a message from a colleague shows live as unread, is read and answered; presence changes live', async ({ visit, client, assert }) => {
    const me = await createMember(null, 'supervisor')
    const colleague = await createMember(me.provider, 'agent')
    const stranger = await createMember(null, 'agent')
    const base = `/api/v1/providers/${me.provider.id}`

    const page = await signIn(visit, me)
    await page.getByRole('link', { name: 'Chat interno' }).click()
    await page.assertTextContains('h1', 'Chat interno')
    await page.assertTextContains(`[data-testid="chat-status-${colleague.user.id}"]`, 'Offline')
    await page.assertNotExists(`[data-testid="chat-member-${stranger.user.id}"]`)

    // The colleague comes online and writes: the list and the menu badge change without a reload.
    ;(await client.post(`${base}/presence`).header('authorization', colleague.token).json({ status: 'online' })).assertStatus(200)
    await page.locator(`[data-testid="chat-status-${colleague.user.id}"]`, { hasText: 'Online' }).waitFor()
    ;(await client.post(`${base}/staff-messages`).header('authorization', colleague.token).json({ recipientId: me.user.id, content: 'Pode assumir o cliente da Rua das Palmeiras?' })).assertStatus(201)
    await page.locator('[data-testid="nav-badge"]', { hasText: '1' }).waitFor()
    await page.locator(`[data-testid="chat-member-${colleague.user.id}"]`, { hasText: '1' }).waitFor()

    await page.getByTestId(`chat-member-${colleague.user.id}`).click()
    await page.assertTextContains('[data-testid="chat-thread"]', 'Pode assumir o cliente da Rua das Palmeiras?')
    await page.getByLabel(`Mensagem para ${colleague.user.name}`).fill('Assumo sim, obrigado!')
    await page.getByLabel(`Mensagem para ${colleague.user.name}`).press('Enter')
    await page.assertTextContains('[data-testid="chat-thread"]', 'Assumo sim, obrigado!')
    await page.locator('[data-testid="nav-badge"]').waitFor({ state: 'detached' })
    await page.screenshot({ path: `${SHOTS}/chat-desktop.png` })

    const theirs = await client.get(`${base}/staff-messages`).qs({ with: me.user.id }).header('authorization', colleague.token)
    assert.equal(theirs.body().data[0].content, 'Assumo sim, obrigado!')
    assert.isNotNull(theirs.body().data[1].readAt)

    // A new message while the thread is open arrives in it.
    ;(await client.post(`${base}/staff-messages`).header('authorization', colleague.token).json({ recipientId: me.user.id, content: 'Valeu!' })).assertStatus(201)
    await page.locator('[data-testid="chat-thread"]', { hasText: 'Valeu!' }).waitFor()
    // …and is read at once: no badge comes back.
    await page.waitForTimeout(1000)
    await page.assertNotExists('[data-testid="nav-badge"]')

    await page.setViewportSize({ width: 390, height: 844 })
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')
    assert.isAtMost(overflow, 0)
    await page.screenshot({ path: `${SHOTS}/chat-phone.png` })
  })
})
