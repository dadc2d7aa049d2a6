import { readFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import csat from '#services/csat_service'
import { createMember } from '#tests/helpers/tenancy'
import { createContact, createConversation, createInbox } from '#tests/functional/workflow/helpers'
import { insertSurvey } from '#tests/functional/insights/helpers'
import { SHOTS, sidewaysOverflow, signIn, sizes } from '#tests/browser/support'

/** The live dashboard, the CSAT settings page and who may open the staff pages. */
/** A screenshot of the whole page: the main area scrolls by itself, so the viewport grows to fit it for the shot. */
async function shootWhole(page: any, path: string) {
  const size = page.viewportSize()
  const height: number = await page.evaluate(`Math.max(document.documentElement.scrollHeight, ...[...document.querySelectorAll('main')].map((main) => main.scrollHeight))`)
  await page.setViewportSize({ width: size.width, height: Math.min(height, 5000) })
  await page.waitForTimeout(400) // charts redraw at the new size before the shot
  await page.screenshot({ path })
  await page.setViewportSize(size)
}

const figure = (page: any, id: string, text: string | RegExp) =>
  page.locator(`[data-testid="kpi-${id}"] [data-role="value"]`, { hasText: typeof text === 'string' ? new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : text })

test.group('Dashboard', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('a dashboard figure changes live when a conversation is resolved; the CSV holds the figures shown', async ({ visit, client, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const conversation = await createConversation(supervisor.provider, { status: 'open', assigneeId: supervisor.user.id })
    const page = await signIn(visit, supervisor)
    await page.getByRole('link', { name: 'Painel' }).click()
    await page.assertTextContains('h1', 'Painel')
    await figure(page, 'resolved', '0').waitFor()
    await figure(page, 'open', '1').waitFor()
    await figure(page, 'created', '1').waitFor()
    // Marks this page load: if the page reloaded, the mark would be gone.
    await page.evaluate('window.__sameLoad = true')

    const resolved = await client
      .post(`/api/v1/providers/${supervisor.provider.id}/conversations/${conversation.id}/resolve`)
      .header('authorization', supervisor.token)
      .json({ reason: 'resolvido no teste' })
    resolved.assertStatus(200)
    await figure(page, 'resolved', '1').waitFor({ timeout: 10_000 })
    await figure(page, 'open', '0').waitFor()
    assert.isTrue(await page.evaluate('window.__sameLoad === true'))
    await shootWhole(page, `${SHOTS}/dashboard-desktop.png`)

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exportar CSV' }).click()])
    const csv = await readFile(await download.path(), 'utf8')
    assert.match(download.suggestedFilename(), /^niochat-painel-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/)
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n')
    assert.include(lines, 'Resolvidas,1,')
    assert.include(lines, 'Em atendimento agora,0,')
    assert.include(lines, 'Novas conversas,1,')
    // The agent table: the supervisor resolved 1 and has 0 open now.
    assert.isTrue(lines.some((line) => line.startsWith(`${supervisor.user.name},1,0,`)))

    await page.setViewportSize(sizes.phone)
    assert.equal(await sidewaysOverflow(page), 0)
    await shootWhole(page, `${SHOTS}/dashboard-phone.png`)
  })

  test('a CSAT answer updates the CSAT figures live; English and dark theme at both sizes', async ({ visit, assert }) => {
    const admin = await createMember(null, 'admin')
    await db.from('users').where('id', admin.user.id).update({ locale: 'en', theme: 'dark' })
    const inbox = await createInbox(admin.provider.id, 'WhatsApp Loja')
    const contact = await createContact(admin.provider.id, { name: 'Joana Cliente' })
    const conversation = await createConversation(admin.provider, { status: 'resolved', inboxId: inbox.id, contactId: contact.id, assigneeId: admin.user.id })
    await insertSurvey({
      providerId: admin.provider.id,
      conversationId: conversation.id,
      inboxId: inbox.id,
      contactId: contact.id,
      agentId: admin.user.id,
      status: 'sent',
      sentAt: new Date().toISOString(),
    })

    const page = await signIn(visit, admin)
    await page.getByRole('link', { name: 'Dashboard' }).click()
    await page.assertTextContains('h1', 'Dashboard')
    await figure(page, 'csat', '—').waitFor()
    await page.assertTextContains('[data-testid="latest-feedback"]', 'No ratings in this period.')
    await page.evaluate('window.__sameLoad = true')

    const outcome = await csat.handleCustomerMessage({ providerId: admin.provider.id, inboxId: inbox.id, contactId: contact.id, text: '🤩' })
    assert.equal(outcome.kind, 'answer')
    await figure(page, 'csat', '5.00').waitFor({ timeout: 10_000 })
    await figure(page, 'satisfaction', '100%').waitFor()
    await page.assertTextContains('[data-testid="latest-feedback"]', 'Joana Cliente')
    await page.assertTextContains('[data-testid="kpi-csat"] [data-role="hint"]', '1 of 1 surveys answered')
    assert.isTrue(await page.evaluate('window.__sameLoad === true'))
    assert.isTrue((await page.evaluate(`document.documentElement.classList.contains('dark')`)) as boolean)
    await shootWhole(page, `${SHOTS}/dashboard-dark-desktop.png`)

    await page.setViewportSize(sizes.phone)
    assert.equal(await sidewaysOverflow(page), 0)
    await shootWhole(page, `${SHOTS}/dashboard-dark-phone.png`)
  })

  test('filters narrow the figures, a custom period is checked, an empty period says so', async ({ visit }) => {
    const supervisor = await createMember(null, 'supervisor')
    const shop = await createInbox(supervisor.provider.id, 'WhatsApp Loja')
    const support = await createInbox(supervisor.provider.id, 'Telegram Suporte')
    await createConversation(supervisor.provider, { status: 'pending', inboxId: shop.id })
    await createConversation(supervisor.provider, { status: 'pending', inboxId: shop.id })
    await createConversation(supervisor.provider, { status: 'bot', inboxId: support.id })
    const page = await signIn(visit, supervisor)
    await page.goto('/dashboard')
    await figure(page, 'created', '3').waitFor()
    await figure(page, 'pending', '2').waitFor()
    await page.assertTextContains('[data-testid="inboxes-table"]', 'Telegram Suporte')

    await page.getByLabel('Caixa', { exact: true }).selectOption({ label: 'Telegram Suporte' })
    await figure(page, 'created', '1').waitFor()
    await figure(page, 'bot', '1').waitFor()
    await figure(page, 'pending', '0').waitFor()

    await page.getByLabel('Período', { exact: true }).selectOption({ label: 'Personalizado' })
    await page.getByLabel('De', { exact: true }).fill('2025-03-10')
    await page.getByLabel('Até', { exact: true }).fill('2025-03-01')
    await page.assertTextContains('[role="alert"]', 'A data inicial precisa ser antes da final.')
    await page.getByLabel('Até', { exact: true }).fill('2025-03-20')
    await figure(page, 'created', '0').waitFor()
    await page.locator('[data-testid="chart-per-day"] [data-role="empty"]', { hasText: 'Sem dados no período.' }).waitFor()
    await page.assertNotExists('[role="alert"]')

    await page.getByLabel('Período', { exact: true }).selectOption({ label: 'Hoje' })
    await page.getByLabel('Caixa', { exact: true }).selectOption({ label: 'Todas' })
    await figure(page, 'created', '3').waitFor()
  })
})

test.group('CSAT settings and access to the staff pages', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('an admin changes the CSAT settings, a bad value is shown at its field', async ({ visit, client, assert }) => {
    const admin = await createMember(null, 'admin')
    const page = await signIn(visit, admin)
    await page.getByRole('link', { name: 'Pesquisa CSAT' }).click()
    await page.getByLabel('Esperar antes de enviar (segundos)').fill('999999')
    await page.getByRole('button', { name: 'Salvar' }).click()
    await page.locator('[data-testid="field-error"]').first().waitFor()
    await page.assertTextContains('[role="alert"]', 'Não foi possível salvar')
    const unchanged = await client.get(`/api/v1/providers/${admin.provider.id}/settings/csat`).header('authorization', admin.token)
    assert.equal(unchanged.body().delaySeconds, 120)

    await page.getByLabel('Esperar antes de enviar (segundos)').fill('300')
    await page.getByLabel('Agradecimento').first().fill('Valeu pela nota, {company}!')
    await page.getByRole('button', { name: 'Salvar' }).click()
    await page.assertTextContains('[role="status"]', 'Configurações salvas.')
    await shootWhole(page, `${SHOTS}/csat-settings-desktop.png`)
    const settings = await client.get(`/api/v1/providers/${admin.provider.id}/settings/csat`).header('authorization', admin.token)
    assert.equal(settings.body().delaySeconds, 300)
    assert.equal(settings.body().texts['pt-BR'].thanks, 'Valeu pela nota, {company}!')

    await page.setViewportSize(sizes.phone)
    assert.equal(await sidewaysOverflow(page), 0)
    await shootWhole(page, `${SHOTS}/csat-settings-phone.png`)
  })

  test('a supervisor reads the CSAT settings without editing them', async ({ visit }) => {
    const supervisor = await createMember(null, 'supervisor')
    const page = await signIn(visit, supervisor)
    await page.goto('/settings/csat')
    await page.assertTextContains('main', 'Só administradores alteram estas configurações.')
    await page.locator('input[name="delaySeconds"]:disabled').waitFor()
    await page.assertNotExists('button[type="submit"]')
  })

  test('an agent sees no link to the staff pages and is sent back from each', async ({ visit }) => {
    const agent = await createMember(null, 'agent')
    const page = await signIn(visit, agent)
    for (const path of ['/dashboard', '/supervision', '/settings/csat']) {
      await page.assertNotExists(`nav a[href="${path}"]`)
      await page.goto(path)
      await page.waitForURL((url: URL) => url.pathname === '/')
      await page.assertTextContains('[role="alert"]', 'Seu papel não permite abrir esta página.')
    }
  })
})
