import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { FakeSgp } from '#tests/helpers/fakes/sgp_server'
import { createMember } from '#tests/helpers/tenancy'
import { clickForToast, shootBoth } from '#tests/browser/admin_support'
import { signIn, until } from '#tests/browser/support'

test.group('Administration: people, teams, texts, AI and the audit log', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('an admin adds a member, edits a team, adds a canned response, maps hand-overs, previews the prompt and finds it all in the audit log', async ({ visit, assert }) => {
    const admin = await createMember(null, 'admin')
    const agent = await createMember(admin.provider, 'agent')
    const page = await signIn(visit, admin.user.email)

    // Members: add one; a bad e-mail is reported under its field.
    await page.goto('/admin/members')
    await page.getByRole('button', { name: 'Adicionar membro' }).click()
    const memberForm = page.getByTestId('member-form')
    await memberForm.getByLabel('Nome').fill('Bruna Suporte')
    await memberForm.getByLabel('E-mail').fill('not-an-email')
    await memberForm.getByRole('button', { name: 'Adicionar membro' }).click()
    await memberForm.locator('#member-email-error').waitFor()
    await memberForm.getByLabel('E-mail').fill('bruna@example.com')
    await memberForm.getByLabel('Senha inicial').fill('uma-senha-forte-123')
    await memberForm.getByLabel('Papel').selectOption('supervisor')
    await clickForToast(page, memberForm.getByRole('button', { name: 'Adicionar membro' }), 'Membro adicionado.')
    await page.getByLabel(`Papel de ${agent.user.name}`).selectOption('supervisor')
    await until(async () => (await db.from('memberships').where({ provider_id: admin.provider.id, user_id: agent.user.id }).firstOrFail()).role === 'supervisor', 'the role change is stored')
    await shootBoth(page, 'admin-members', assert)
    // Removing asks first, then the membership is gone.
    const bruna = await db.from('users').where('email', 'bruna@example.com').firstOrFail()
    await page.getByRole('button', { name: 'Remover Bruna Suporte' }).click()
    await clickForToast(page, page.getByTestId('confirm-accept'), 'Membro removido.')
    assert.isNull(await db.from('memberships').where({ provider_id: admin.provider.id, user_id: bruna.id }).first())

    // Teams: create, then edit name, members and automatic assignment.
    await page.getByRole('link', { name: 'Equipes' }).click()
    await page.getByRole('button', { name: 'Criar equipe' }).click()
    await page.getByLabel('Nome da equipe').fill('Suporte')
    await clickForToast(page, page.getByTestId('team-form').getByRole('button', { name: 'Criar equipe' }), 'Equipe criada.')
    const team = await db.from('teams').where('provider_id', admin.provider.id).firstOrFail()
    await page.getByRole('button', { name: 'Editar Suporte' }).click()
    const teamForm = page.getByTestId('team-form')
    await teamForm.getByLabel('Nome da equipe').fill('Suporte técnico')
    await teamForm.getByLabel('Distribuir automaticamente').check()
    await teamForm.getByLabel('Máximo de conversas abertas por atendente').fill('5')
    await teamForm.getByLabel(agent.user.name).check()
    await teamForm.getByRole('button', { name: 'Salvar' }).click()
    await page.assertTextContains(`[data-testid="team-${team.id}"]`, 'Suporte técnico')
    await page.assertTextContains(`[data-testid="team-${team.id}"]`, agent.user.name)
    const edited = await db.from('teams').where('id', team.id).firstOrFail()
    assert.isTrue(edited.auto_assign)
    assert.equal(edited.max_open_per_agent, 5)
    await shootBoth(page, 'admin-teams', assert, true)

    // Canned responses: a shortcut with a space is refused in place; a good one is listed.
    await page.getByRole('link', { name: 'Respostas prontas' }).click()
    await page.getByRole('button', { name: 'Nova resposta' }).click()
    await page.getByLabel('Atalho').fill('boas vindas')
    await page.getByLabel('Texto').fill('Olá! Como posso ajudar?')
    await page.getByTestId('canned-form').getByRole('button', { name: 'Nova resposta' }).click()
    await page.locator('#canned-shortcut-error').waitFor()
    await page.getByLabel('Atalho').fill('boasvindas')
    await page.getByTestId('canned-form').getByRole('button', { name: 'Nova resposta' }).click()
    await page.assertTextContains('[data-testid="canned-list"]', '/boasvindas')
    await page.getByRole('button', { name: 'Editar /boasvindas' }).click()
    await page.getByLabel('Texto').fill('Olá! Em que posso ajudar hoje?')
    await clickForToast(page, page.getByTestId('canned-form').getByRole('button', { name: 'Salvar' }), 'Salvo.')
    await page.assertTextContains('[data-testid="canned-list"]', 'Em que posso ajudar hoje?')
    await shootBoth(page, 'admin-canned', assert)

    // Hand-over mapping: financial → the team, default → the team.
    await page.getByRole('link', { name: 'Transferência para humanos' }).click()
    await page.getByLabel('Financeiro').selectOption(String(team.id))
    await page.getByLabel('Equipe padrão').selectOption(String(team.id))
    await clickForToast(page, page.getByTestId('handover-form').getByRole('button', { name: 'Salvar' }), 'Salvo.')
    const handover = await db.from('provider_settings').where({ provider_id: admin.provider.id, kind: 'handover' }).firstOrFail()
    const stored = typeof handover.settings === 'string' ? JSON.parse(handover.settings) : handover.settings
    assert.equal(stored.teams.financial, team.id)
    assert.equal(stored.defaultTeamId, team.id)
    await shootBoth(page, 'admin-handover', assert)

    // Persona and company data, then the system prompt they make.
    await page.getByRole('link', { name: 'Provedor e persona da IA' }).click()
    await page.getByLabel('Nome do agente').fill('Ana Fibra')
    await page.getByLabel('Estilo').fill('simpática e objetiva')
    await page.getByRole('button', { name: 'Adicionar horário em Segunda' }).click()
    await page.getByRole('button', { name: 'Copiar segunda para terça–sexta' }).click()
    await page.getByRole('button', { name: 'Adicionar plano' }).click()
    await page.getByLabel('Nome do plano').fill('FIBRA 500')
    await page.getByLabel('Preço (R$)').fill('99,90')
    await clickForToast(page, page.getByRole('button', { name: 'Salvar', exact: true }), 'Salvo.')
    await page.getByRole('button', { name: 'Ver o prompt do sistema' }).click()
    await page.assertTextContains('[data-testid="prompt-preview"]', 'Ana Fibra')
    await page.assertTextContains('[data-testid="prompt-preview"]', 'FIBRA 500')
    const provider = await db.from('providers').where('id', admin.provider.id).firstOrFail()
    const mondayBefore = (admin.provider.businessHours as any)?.mon ?? []
    assert.deepEqual(provider.business_hours.mon, [...mondayBefore, { from: '08:00', to: '18:00' }])
    assert.deepEqual(provider.business_hours.fri, provider.business_hours.mon)
    await shootBoth(page, 'admin-profile', assert, true)

    // The audit log lists those actions, filters by action and exports the same filter.
    await page.getByRole('link', { name: 'Auditoria' }).click()
    for (const action of ['member.added', 'team.updated', 'canned_response.created', 'settings.handover.updated', 'provider.updated']) {
      await page.assertTextContains('[data-testid="audit-list"]', action)
    }
    await page.getByLabel('Ação', { exact: true }).fill('team.')
    await page.getByRole('button', { name: 'Filtrar' }).click()
    await page.waitForFunction(`(() => {
      const list = document.querySelector('[data-testid="audit-list"]')
      return list !== null && !list.textContent.includes('canned_response.created')
    })()`)
    const actions = await page.locator('[data-testid="audit-row"] code').allInnerTexts()
    assert.isAbove(actions.length, 0)
    assert.isTrue(actions.every((a: string) => a.startsWith('team.')))
    assert.include(await page.getByTestId('audit-export').getAttribute('href'), `/api/v1/providers/${admin.provider.id}/audit-logs/export?action=team.`)
    await page.getByLabel('Quem').selectOption({ label: 'IA' })
    await page.getByRole('button', { name: 'Filtrar' }).click()
    await page.assertTextContains('[data-testid="empty-state"]', 'Nenhum registro')
    await page.getByRole('button', { name: 'Limpar' }).click()
    await page.assertTextContains('[data-testid="audit-list"]', 'member.added')
    await shootBoth(page, 'admin-audit', assert, true)
  })

  test('an admin chooses the ISP system, fills its generated form and tests the connection', async ({ visit, assert }) => {
    const sgp = await FakeSgp.start()
    try {
      const admin = await createMember(null, 'admin')
      const page = await signIn(visit, admin.user.email)
      await page.goto('/admin/integrations')
      const form = page.getByTestId('isp-form')
      await form.getByLabel('Plugin').selectOption('sgp')
      await form.getByLabel('Usar o sistema de gestão').check()
      await form.getByLabel('Endereço do SGP').fill(sgp.baseUrl)
      await form.getByLabel('Nome do app').fill(sgp.app)
      await form.getByLabel('Token').fill(sgp.token)
      await form.getByRole('button', { name: 'Salvar e testar conexão' }).click()
      await page.assertTextContains('[data-testid="isp-test-result"]', 'Conexão funcionando')
      assert.notInclude(await page.content(), sgp.token)
      await page.assertTextContains('[data-testid="isp-form"] [data-testid="field-badge"]', '••• salvo')
      // Saved again without typing the token: it is kept and the test still passes.
      await form.getByRole('button', { name: 'Salvar e testar conexão' }).click()
      await page.assertTextContains('[data-testid="isp-test-result"]', 'Conexão funcionando')
      await shootBoth(page, 'admin-integrations', assert)
    } finally {
      await sgp.close()
    }
  })

  test('the audit log pages on demand, filters by target and dates, and its CSV link downloads what is listed', async ({ visit, assert }) => {
    const admin = await createMember(null, 'admin')
    const other = await createMember(null, 'admin')
    const day = (d: number) => new Date(Date.UTC(2026, 2, d, 12)).toISOString()
    const rows = Array.from({ length: 60 }, (_, i) => ({
      provider_id: admin.provider.id,
      user_id: admin.user.id,
      actor_kind: 'user',
      action: 'contact.updated',
      target_type: 'contact',
      target_id: String(i + 1),
      created_at: day(i < 30 ? 10 : 20),
    }))
    await db.table('audit_logs').multiInsert(rows)
    await db.table('audit_logs').insert({ provider_id: other.provider.id, actor_kind: 'user', action: 'contact.deleted', target_type: 'contact', target_id: '999', created_at: day(20) })

    const page = await signIn(visit, admin.user.email)
    await page.goto('/admin/audit')
    await page.getByTestId('audit-row').first().waitFor()
    assert.equal(await page.getByTestId('audit-row').count(), 50)
    await page.getByRole('button', { name: 'Carregar mais' }).click()
    await until(async () => (await page.getByTestId('audit-row').count()) === 60, 'the second page is listed')
    await page.assertNotExists('text=contact.deleted') // another provider's entry never shows

    await page.getByLabel('Id do alvo').fill('7')
    await page.getByRole('button', { name: 'Filtrar' }).click()
    await until(async () => (await page.getByTestId('audit-row').count()) === 1, 'only target 7 is listed')
    await page.assertTextContains('[data-testid="audit-list"]', 'contact #7')

    await page.getByLabel('Id do alvo').fill('')
    await page.getByLabel('De', { exact: true }).fill('2026-03-15')
    await page.getByRole('button', { name: 'Filtrar' }).click()
    await until(async () => (await page.getByTestId('audit-row').count()) === 30, 'only the entries from the 15th on are listed')
    const csv = await page.evaluate(async (href: string) => (await fetch(href)).text(), (await page.getByTestId('audit-export').getAttribute('href'))!)
    const lines = csv.trim().split('\n')
    assert.lengthOf(lines, 31) // header + the 30 listed entries
    assert.isTrue(lines.slice(1).every((line: string) => line.includes('contact.updated')))
  })
})
