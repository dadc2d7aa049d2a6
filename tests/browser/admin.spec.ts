import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { DEFAULT_TEST_PASSWORD } from '#database/factories/user_factory'
import { FakeEvolution } from '#tests/helpers/fakes/evolution_server'
import { createMember, createSuperadmin, type Member } from '#tests/helpers/tenancy'

const SHOTS = 'tests/browser/screenshots'

async function signIn(visit: any, email: string) {
  const page = await visit('/login')
  await page.getByLabel('E-mail').fill(email)
  await page.getByLabel('Senha').fill(DEFAULT_TEST_PASSWORD)
  await page.getByRole('button', { name: 'Entrar' }).click()
  await page.waitForURL((url: URL) => url.pathname === '/')
  return page
}

test.group('Administration pages', (group) => {
  let evolution: FakeEvolution
  group.each.setup(async () => {
    const truncate = await testUtils.db().truncate()
    evolution = await new FakeEvolution().start()
    return async () => {
      await evolution.close()
      await truncate()
    }
  })

  test('an admin adds an Evolution inbox through the form generated from the plugin schema', async ({ visit, assert }) => {
    const admin: Member = await createMember(null, 'admin')
    const page = await signIn(visit, admin.user.email)
    await page.getByRole('link', { name: 'Administração' }).click()
    await page.getByRole('button', { name: 'Adicionar caixa' }).click()
    const form = page.getByTestId('inbox-form')
    await form.getByLabel('Nome da caixa').fill('WhatsApp Loja Centro')
    await form.getByLabel('Canal').selectOption('evolution')
    await form.getByLabel('Evolution API address').fill(evolution.baseUrl)
    await form.getByLabel('Instance name').fill(evolution.instance)
    await form.locator('#inbox-apiKey').fill(evolution.apiKey)
    await page.screenshot({ path: `${SHOTS}/admin-inbox-form-desktop.png`, fullPage: true })
    await form.getByRole('button', { name: 'Salvar' }).click()
    await page.assertTextContains('[role="status"]', 'Caixa criada.')

    const inbox = await db.from('inboxes').where('provider_id', admin.provider.id).firstOrFail()
    const card = page.getByTestId(`inbox-${inbox.id}`)
    await card.getByTestId('webhook-url').waitFor()
    assert.include(await card.getByTestId('webhook-url').innerText(), `/webhooks/evolution/${inbox.webhook_key}`)
    await card.getByRole('button', { name: 'Testar conexão' }).click()
    await card.getByTestId('test-result').waitFor()
    assert.match(await card.getByTestId('test-result').innerText(), /^✓/)
    assert.notInclude(await page.content(), evolution.apiKey) // the secret is never shown back
    assert.isTrue(evolution.requests.some((r) => r.path.startsWith('/webhook/set')))

    // Editing keeps the saved secret when the field is left empty.
    await card.getByRole('button', { name: 'Editar' }).click()
    await page.getByTestId('inbox-form').getByLabel('Nome da caixa').fill('WhatsApp Centro')
    await page.getByTestId('inbox-form').getByRole('button', { name: 'Salvar' }).click()
    await page.assertTextContains('[role="status"]', 'Salvo.')
    const test2 = await card.getByRole('button', { name: 'Testar conexão' })
    await test2.click()
    await page.waitForTimeout(300)
    assert.match(await card.getByTestId('test-result').innerText(), /^✓/)
    await page.screenshot({ path: `${SHOTS}/admin-inboxes-desktop.png`, fullPage: true })
    await page.setViewportSize({ width: 390, height: 844 })
    assert.isAtMost(Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')), 0)
    await page.screenshot({ path: `${SHOTS}/admin-inboxes-phone.png`, fullPage: true })
  })

  test('teams, canned responses, hand-over mapping, the prompt preview and the audit log of it all', async ({ visit, assert }) => {
    const admin: Member = await createMember(null, 'admin')
    const page = await signIn(visit, admin.user.email)
    await page.goto('/admin/teams')
    await page.getByLabel('Nome da equipe').fill('Suporte técnico')
    await page.getByRole('button', { name: 'Criar equipe' }).click()
    await page.assertTextContains('[role="status"]', 'Equipe criada.')

    await page.getByRole('tab', { name: 'Respostas prontas' }).click()
    await page.getByLabel('Atalho').fill('boasvindas')
    await page.getByLabel('Texto').fill('Olá! Como posso ajudar?')
    await page.getByRole('button', { name: 'Adicionar' }).click()
    await page.assertTextContains('[role="status"]', 'Resposta pronta criada.')

    await page.getByRole('tab', { name: 'IA, sistema e transferências' }).click()
    const team = await db.from('teams').where('provider_id', admin.provider.id).firstOrFail()
    await page.locator('select[name="handover-technical"]').selectOption(String(team.id))
    await page.getByTestId('handover-form').getByRole('button', { name: 'Salvar' }).click()
    await page.assertTextContains('[role="status"]', 'Salvo.')

    await page.getByRole('tab', { name: 'Provedor e IA' }).click()
    await page.getByLabel('Nome do agente').fill('Ana Fibra')
    await page.getByRole('button', { name: 'Salvar' }).click()
    await page.assertTextContains('[role="status"]', 'Salvo.')
    await page.getByRole('button', { name: 'Ver o prompt do sistema' }).click()
    await page.assertTextContains('[data-testid="prompt-preview"]', 'Ana Fibra')

    await page.getByRole('tab', { name: 'Auditoria' }).click()
    await page.assertTextContains('[data-testid="audit-table"]', 'team.created')
    await page.screenshot({ path: `${SHOTS}/admin-audit-desktop.png`, fullPage: true })
    const stored = await db.from('provider_settings').where({ provider_id: admin.provider.id, kind: 'handover' }).first()
    assert.exists(stored)
  })

  test('agents cannot open the administration; the superadmin creates and suspends a provider', async ({ visit, assert }) => {
    const agent = await createMember(null, 'agent')
    const page = await signIn(visit, agent.user.email)
    await page.assertNotExists('a[href="/admin"]')
    await page.goto('/admin')
    await page.waitForURL((url: URL) => url.pathname === '/')
    await page.getByRole('button', { name: 'Sair' }).click()
    await page.waitForURL((url: URL) => url.pathname === '/login')

    const root = await createSuperadmin()
    const rootPage = await signIn(visit, root.user.email)
    await rootPage.getByRole('link', { name: 'Provedores' }).click()
    await rootPage.getByLabel('Nome do novo provedor').fill('Fibra Nova Teste')
    await rootPage.getByRole('button', { name: 'Criar provedor' }).click()
    await rootPage.assertTextContains('[role="status"]', 'Provedor criado.')
    const created = await db.from('providers').where('name', 'Fibra Nova Teste').firstOrFail()
    await rootPage.getByTestId(`provider-${created.id}`).getByRole('button', { name: 'Suspender' }).click()
    await rootPage.assertTextContains('[role="status"]', 'Provedor suspenso.')
    assert.isNotNull((await db.from('providers').where('id', created.id).firstOrFail()).suspended_at)
    await rootPage.screenshot({ path: `${SHOTS}/providers-desktop.png` })
  })
})
