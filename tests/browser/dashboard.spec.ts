import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { DEFAULT_TEST_PASSWORD } from '#database/factories/user_factory'
import { createMember, type Member } from '#tests/helpers/tenancy'
import { createContact, createConversation, createInbox } from '#tests/functional/workflow/helpers'

const SHOTS = 'tests/browser/screenshots'

async function signIn(visit: any, member: Member) {
  const page = await visit('/login')
  await page.getByLabel('E-mail').fill(member.user.email)
  await page.getByLabel('Senha').fill(DEFAULT_TEST_PASSWORD)
  await page.getByRole('button', { name: 'Entrar' }).click()
  await page.waitForURL((url: URL) => url.pathname === '/')
  return page
}

const noHorizontalScroll = (page: any) => page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')

test.group('Dashboard, supervision board and CSAT settings', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('a dashboard figure changes live when a conversation is resolved', async ({ visit, client, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const conversation = await createConversation(supervisor.provider, { status: 'open', assigneeId: supervisor.user.id })
    const page = await signIn(visit, supervisor)
    await page.getByRole('link', { name: 'Painel' }).click()
    await page.assertTextContains('h1', 'Painel')
    await page.locator('[data-testid="kpi-resolved"] [data-role="value"]', { hasText: /^0$/ }).waitFor()
    await page.locator('[data-testid="kpi-open"] [data-role="value"]', { hasText: /^1$/ }).waitFor()

    const resolved = await client
      .post(`/api/v1/providers/${supervisor.provider.id}/conversations/${conversation.id}/resolve`)
      .header('authorization', supervisor.token)
      .json({ reason: 'resolvido no teste' })
    resolved.assertStatus(200)
    await page.locator('[data-testid="kpi-resolved"] [data-role="value"]', { hasText: /^1$/ }).waitFor({ timeout: 10_000 })
    await page.locator('[data-testid="kpi-open"] [data-role="value"]', { hasText: /^0$/ }).waitFor()
    await page.screenshot({ path: `${SHOTS}/dashboard-desktop.png`, fullPage: true })

    await page.setViewportSize({ width: 390, height: 844 })
    assert.isAtMost(await noHorizontalScroll(page), 0)
    await page.screenshot({ path: `${SHOTS}/dashboard-phone.png` })
  })

  test('the supervision board moves a conversation live when it is taken, and force-resolves from the transcript', async ({ visit, client, assert }) => {
    const admin = await createMember(null, 'admin')
    const agent = await createMember(admin.provider, 'agent')
    const inbox = await createInbox(admin.provider.id, 'WhatsApp Loja')
    const contact = await createContact(admin.provider.id, { name: 'Joana Cliente' })
    const waiting = await createConversation(admin.provider, { status: 'pending', inboxId: inbox.id, contactId: contact.id })
    const page = await signIn(visit, admin)
    await page.getByRole('link', { name: 'Supervisão' }).click()
    await page.locator(`[data-testid="column-pending"] [data-testid="card-${waiting.id}"]`, { hasText: 'Joana Cliente' }).waitFor()
    await page.assertTextContains('[data-testid="column-pending"] [data-role="count"]', '1')

    ;(await client.post(`/api/v1/providers/${admin.provider.id}/conversations/${waiting.id}/take`).header('authorization', agent.token)).assertStatus(200)
    await page.locator(`[data-testid="column-open"] [data-testid="card-${waiting.id}"]`).waitFor({ timeout: 10_000 })
    await page.assertTextContains(`[data-testid="card-${waiting.id}"]`, agent.user.name)
    await page.screenshot({ path: `${SHOTS}/supervision-desktop.png` })

    await page.getByTestId(`card-${waiting.id}`).click()
    await page.locator('[data-testid="transcript"]').waitFor()
    await page.getByLabel('Motivo (opcional)').fill('Cliente já atendido por telefone')
    await page.getByRole('button', { name: 'Encerrar agora' }).click()
    await page.locator(`[data-testid="card-${waiting.id}"]`).waitFor({ state: 'detached' })
    await page.assertTextContains('[role="status"]', 'Conversa encerrada.')
    const row = await db.from('conversations').where('id', waiting.id).firstOrFail()
    assert.equal(row.status, 'resolved')
    assert.equal(row.resolution_reason, 'Cliente já atendido por telefone')

    await page.setViewportSize({ width: 390, height: 844 })
    assert.isAtMost(await noHorizontalScroll(page), 0)
    await page.screenshot({ path: `${SHOTS}/supervision-phone.png` })
  })

  test('an admin changes the CSAT settings; an agent cannot open these pages', async ({ visit, client, assert }) => {
    const admin = await createMember(null, 'admin')
    const page = await signIn(visit, admin)
    await page.getByRole('link', { name: 'Pesquisa CSAT' }).click()
    await page.getByLabel('Esperar antes de enviar (segundos)').fill('300')
    await page.getByRole('button', { name: 'Salvar' }).click()
    await page.assertTextContains('[role="status"]', 'Configurações salvas.')
    await page.screenshot({ path: `${SHOTS}/csat-settings-desktop.png`, fullPage: true })
    const settings = await client.get(`/api/v1/providers/${admin.provider.id}/settings/csat`).header('authorization', admin.token)
    assert.equal(settings.body().delaySeconds, 300)

    await page.getByRole('button', { name: 'Sair' }).click()
    await page.waitForURL((url: URL) => url.pathname === '/login')
    const agent = await createMember(null, 'agent')
    const agentPage = await signIn(visit, agent)
    await agentPage.assertNotExists('a[href="/dashboard"]')
    for (const path of ['/dashboard', '/supervision', '/settings/csat']) {
      await agentPage.goto(path)
      await agentPage.waitForURL((url: URL) => url.pathname === '/')
      await agentPage.assertTextContains('[role="alert"]', 'Seu papel não permite abrir esta página.')
    }
  })
})
