import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createMember } from '#tests/helpers/tenancy'
import { createContact, createConversation, createTeam } from '#tests/functional/workflow/helpers'
import { whatsappWorld } from '#tests/browser/inbox_support'
import { SHOTS, signIn, until } from '#tests/browser/support'

test.group('The agent inbox', (group) => {
  const world = whatsappWorld(group)

  test('a WhatsApp message appears live; the answer reaches WhatsApp; a note does not; transfer and resolve', async ({ visit, client, assert }) => {
    const admin = await createMember(null, 'admin')
    const team = await createTeam(admin.provider.id, 'Suporte técnico')
    const webhook = await world.inbox(client, admin)

    const page = await signIn(visit, admin)
    await page.getByRole('tab', { name: 'Todas' }).click()
    await page.locator('[data-testid="inbox-empty"]').waitFor()

    ;(await client.post(webhook).json(world.evolution.text({ id: 'LIVE-1', text: 'Estou sem internet desde cedo', name: 'Maria Souza' }))).assertStatus(200)
    const row = page.locator('[data-testid="conversation-row"]', { hasText: 'Estou sem internet desde cedo' })
    await row.waitFor({ timeout: 10_000 })
    await row.click()
    await page.locator('[data-testid="message"]', { hasText: 'Estou sem internet desde cedo' }).waitFor()

    await page.getByTestId('composer').fill('Olá! Vou verificar sua conexão agora.')
    await page.getByTestId('composer').press('Enter')
    await until(async () => world.evolution.sends().some((r) => r.body.text === 'Olá! Vou verificar sua conexão agora.'), 'the answer at the fake WhatsApp')
    await page.locator('[data-testid="message"][data-direction="out"]', { hasText: 'Olá! Vou verificar' }).waitFor()

    await page.getByTestId('note-toggle').click()
    await page.getByTestId('composer').fill('Cliente da rua sem fibra, verificar OLT')
    await page.getByTestId('composer').press('Enter')
    await page.locator('[data-testid="message-note"]', { hasText: 'verificar OLT' }).waitFor()
    await page.waitForTimeout(500)
    assert.isFalse(world.evolution.sends().some((r) => String(r.body.text).includes('verificar OLT')))
    await page.screenshot({ path: `${SHOTS}/inbox-conversation-desktop.png` })

    await page.getByLabel('Transferir').selectOption(`team:${team.id}`)
    await page.locator('[data-testid="conversation-status"]', { hasText: 'Em espera' }).waitFor()
    await page.getByRole('button', { name: 'Resolver' }).click()
    await page.getByLabel('Motivo da resolução (opcional)').fill('Conexão restabelecida')
    await page.getByRole('button', { name: 'Resolver conversa' }).click()
    await page.locator('[data-testid="conversation-status"]', { hasText: 'Resolvida' }).waitFor()
    const stored = await db.from('conversations').where('provider_id', admin.provider.id).firstOrFail()
    assert.equal(stored.status, 'resolved')
    assert.equal(stored.resolution_reason, 'Conexão restabelecida')

    await page.setViewportSize({ width: 390, height: 844 })
    assert.isAtMost(Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')), 0)
    await page.screenshot({ path: `${SHOTS}/inbox-conversation-phone.png` })
  })

  test('keyboard shortcuts: next/previous, search, composer, take, resolve, the shortcut list', async ({ visit }) => {
    const supervisor = await createMember(null, 'supervisor')
    const first = await createConversation(supervisor.provider, { status: 'pending', contactId: (await createContact(supervisor.provider.id, { name: 'Primeira Cliente' })).id })
    const second = await createConversation(supervisor.provider, { status: 'pending', contactId: (await createContact(supervisor.provider.id, { name: 'Segunda Cliente' })).id })
    const page = await signIn(visit, supervisor)
    await page.getByRole('tab', { name: 'Todas' }).click()
    await page.locator('[data-testid="conversation-row"]').nth(1).waitFor()
    const title = () => page.locator('[data-testid="conversation-view"] h1')

    await page.keyboard.press('j')
    await title().filter({ hasText: 'Segunda Cliente' }).waitFor() // newest activity first
    await page.keyboard.press('j')
    await title().filter({ hasText: 'Primeira Cliente' }).waitFor()
    await page.keyboard.press('k')
    await title().filter({ hasText: 'Segunda Cliente' }).waitFor()
    await page.keyboard.press('Alt+ArrowDown')
    await title().filter({ hasText: 'Primeira Cliente' }).waitFor()
    await page.keyboard.press('Alt+ArrowUp')
    await title().filter({ hasText: 'Segunda Cliente' }).waitFor()

    await page.keyboard.press('/')
    await page.waitForFunction("document.activeElement?.getAttribute('type') === 'search'")
    await page.keyboard.press('Escape')
    await page.locator('body').click({ position: { x: 1, y: 700 } })
    await page.keyboard.press('Control+k')
    await page.waitForFunction("document.activeElement?.getAttribute('type') === 'search'")
    await page.locator('[data-testid="message-list"]').click()

    await page.keyboard.press('r')
    await page.waitForFunction("document.activeElement?.getAttribute('data-testid') === 'composer'")
    await page.locator('[data-testid="message-list"]').click()

    await page.keyboard.press('a')
    await page.locator('[data-testid="conversation-status"]', { hasText: `Com ${supervisor.user.name}` }).waitFor()
    await page.keyboard.press('e')
    await page.getByRole('button', { name: 'Resolver conversa' }).click()
    await page.locator('[data-testid="conversation-status"]', { hasText: 'Resolvida' }).waitFor()

    await page.locator('[data-testid="message-list"]').click()
    await page.keyboard.press('?')
    await page.getByRole('dialog', { name: 'Atalhos de teclado' }).waitFor()
    await page.screenshot({ path: `${SHOTS}/inbox-shortcuts-desktop.png` })
    void first
    void second
  })

  test('an agent does not see another team\'s conversation', async ({ visit }) => {
    const admin = await createMember(null, 'admin')
    const agent = await createMember(admin.provider, 'agent')
    const support = await createTeam(admin.provider.id, 'Suporte', [agent.user.id])
    const billing = await createTeam(admin.provider.id, 'Financeiro')
    await createConversation(admin.provider, { status: 'pending', teamId: support.id, contactId: (await createContact(admin.provider.id, { name: 'Cliente do Suporte' })).id })
    await createConversation(admin.provider, { status: 'pending', teamId: billing.id, contactId: (await createContact(admin.provider.id, { name: 'Cliente do Financeiro' })).id })
    const page = await signIn(visit, agent)
    await page.assertNotExists('[role="tab"]:has-text("Todas")')
    await page.getByRole('tab', { name: 'Não atribuídas' }).click()
    await page.locator('[data-testid="conversation-row"]', { hasText: 'Cliente do Suporte' }).waitFor()
    await page.assertNotExists('[data-testid="conversation-row"]:has-text("Cliente do Financeiro")')
    await page.screenshot({ path: `${SHOTS}/inbox-agent-desktop.png` })
  })
})
