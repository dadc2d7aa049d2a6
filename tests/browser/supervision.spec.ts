import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { createMember } from '#tests/helpers/tenancy'
import { addMessage, createContact, createConversation, createInbox, createTeam } from '#tests/functional/workflow/helpers'
import { SHOTS, sidewaysOverflow, signIn, sizes } from '#tests/browser/support'

/** The supervision board: live columns, transcripts, transfer and force-resolve. */
const card = (page: any, column: string, id: number) => page.locator(`[data-testid="column-${column}"] [data-testid="card-${id}"]`)
const count = (page: any, column: string, value: string) => page.locator(`[data-testid="column-${column}"] [data-role="count"]`, { hasText: new RegExp(`^${value}$`) })

test.group('Supervision board', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('a waiting conversation moves live to "Em atendimento" when taken, and is force-resolved from its transcript', async ({ visit, client, assert }) => {
    const admin = await createMember(null, 'admin')
    const agent = await createMember(admin.provider, 'agent')
    const inbox = await createInbox(admin.provider.id, 'WhatsApp Loja')
    const contact = await createContact(admin.provider.id, { name: 'Joana Cliente' })
    const waiting = await createConversation(admin.provider, { status: 'pending', inboxId: inbox.id, contactId: contact.id, lastActivityAt: DateTime.now().minus({ minutes: 12 }) })
    await addMessage(waiting, 'Minha internet caiu desde ontem')
    const withAi = await createConversation(admin.provider, { status: 'bot', inboxId: inbox.id })

    const page = await signIn(visit, admin)
    await page.getByRole('link', { name: 'Supervisão' }).click()
    await card(page, 'pending', waiting.id).filter({ hasText: 'Joana Cliente' }).waitFor()
    await page.assertTextContains(`[data-testid="card-${waiting.id}"]`, 'WhatsApp Loja')
    await page.assertTextContains(`[data-testid="card-${waiting.id}"] [data-role="wait"]`, '12 min')
    await page.assertTextContains(`[data-testid="card-${waiting.id}"] [data-role="assignee"]`, 'Sem atendente')
    await card(page, 'bot', withAi.id).waitFor()
    await count(page, 'pending', '1').waitFor()
    await count(page, 'open', '0').waitFor()
    await page.evaluate('window.__sameLoad = true')

    const taken = await client.post(`/api/v1/providers/${admin.provider.id}/conversations/${waiting.id}/take`).header('authorization', agent.token)
    taken.assertStatus(200)
    await card(page, 'open', waiting.id).waitFor({ timeout: 10_000 })
    await count(page, 'open', '1').waitFor()
    await count(page, 'pending', '0').waitFor()
    await page.assertTextContains(`[data-testid="card-${waiting.id}"] [data-role="assignee"]`, agent.user.name)
    assert.isTrue(await page.evaluate('window.__sameLoad === true'))
    await page.screenshot({ path: `${SHOTS}/supervision-desktop.png` })

    await page.getByTestId(`card-${waiting.id}`).click()
    const transcript = page.getByTestId('transcript')
    await transcript.getByText('Minha internet caiu desde ontem').waitFor()
    await page.screenshot({ path: `${SHOTS}/supervision-transcript-desktop.png` })
    await page.getByLabel('Motivo (opcional)').fill('Cliente já atendido por telefone')
    await transcript.getByRole('button', { name: 'Encerrar agora' }).click()
    const dialog = page.getByRole('alertdialog')
    await dialog.getByText('A conversa com Joana Cliente será resolvida agora').waitFor()
    await dialog.getByRole('button', { name: 'Encerrar agora' }).click()
    await page.locator(`[data-testid="card-${waiting.id}"]`).waitFor({ state: 'detached' })
    await page.assertTextContains('[role="status"]', 'Conversa com Joana Cliente encerrada.')
    await count(page, 'open', '0').waitFor()
    const row = await db.from('conversations').where('id', waiting.id).firstOrFail()
    assert.equal(row.status, 'resolved')
    assert.equal(row.resolution_reason, 'Cliente já atendido por telefone')

    await page.setViewportSize(sizes.phone)
    assert.equal(await sidewaysOverflow(page), 0)
    await page.screenshot({ path: `${SHOTS}/supervision-phone.png`, fullPage: true })
  })

  test('from the transcript: a new message shows live, transfer to a team, to the AI and to an agent; on a phone, in the dark', async ({ visit, client, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    await db.from('users').where('id', supervisor.user.id).update({ theme: 'dark' })
    const agent = await createMember(supervisor.provider, 'agent')
    const team = await createTeam(supervisor.provider.id, 'Financeiro')
    const inbox = await createInbox(supervisor.provider.id, 'WhatsApp Loja')
    const contact = await createContact(supervisor.provider.id, { name: 'Carlos Souza' })
    const conversation = await createConversation(supervisor.provider, { status: 'open', assigneeId: agent.user.id, inboxId: inbox.id, contactId: contact.id })
    await addMessage(conversation, 'Quero a segunda via do boleto')

    const page = await signIn(visit, supervisor)
    await page.setViewportSize(sizes.phone)
    await page.goto('/supervision')
    await card(page, 'open', conversation.id).click()
    const transcript = page.getByTestId('transcript')
    await transcript.getByText('Quero a segunda via do boleto').waitFor()

    const sent = await client
      .post(`/api/v1/providers/${supervisor.provider.id}/conversations/${conversation.id}/messages`)
      .header('authorization', agent.token)
      .json({ content: 'Claro, já envio o boleto.' })
    sent.assertStatus(201)
    await transcript.locator('[data-testid="transcript-message"][data-direction="out"]', { hasText: 'Claro, já envio o boleto.' }).waitFor({ timeout: 10_000 })
    assert.isTrue((await page.evaluate(`document.documentElement.classList.contains('dark')`)) as boolean)
    assert.equal(await sidewaysOverflow(page), 0)
    await page.screenshot({ path: `${SHOTS}/supervision-transcript-dark-phone.png` })

    await page.getByLabel('Transferir para').selectOption({ label: 'Financeiro' })
    await page.getByRole('button', { name: 'Transferir' }).click()
    await page.assertTextContains('[role="status"]', 'Conversa com Carlos Souza transferida.')
    await card(page, 'pending', conversation.id).waitFor()
    let row = await db.from('conversations').where('id', conversation.id).firstOrFail()
    assert.equal(row.team_id, team.id)
    assert.isNull(row.assignee_id)
    assert.equal(row.status, 'pending')

    await card(page, 'pending', conversation.id).click()
    await transcript.locator('[data-testid="transcript-event"]', { hasText: 'Financeiro' }).waitFor()
    await page.getByLabel('Transferir para').selectOption({ label: 'A IA' })
    await page.getByRole('button', { name: 'Transferir' }).click()
    await card(page, 'bot', conversation.id).waitFor()
    row = await db.from('conversations').where('id', conversation.id).firstOrFail()
    assert.equal(row.status, 'bot')

    // And from the AI straight to a named agent.
    await card(page, 'bot', conversation.id).click()
    await page.getByLabel('Transferir para').selectOption({ label: agent.user.name })
    await page.getByRole('button', { name: 'Transferir' }).click()
    await card(page, 'open', conversation.id).filter({ hasText: agent.user.name }).waitFor()
    row = await db.from('conversations').where('id', conversation.id).firstOrFail()
    assert.equal(row.status, 'open')
    assert.equal(row.assignee_id, agent.user.id)
    assert.equal(row.transfer_count, 3)
    await page.setViewportSize(sizes.desktop)
    await page.screenshot({ path: `${SHOTS}/supervision-dark-desktop.png` })
  })
})
