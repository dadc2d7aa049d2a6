import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import drive from '@adonisjs/drive/services/main'
import { DateTime } from 'luxon'
import Attachment from '#models/attachment'
import Conversation from '#models/conversation'
import Message from '#models/message'
import User from '#models/user'
import { TINY_PNG } from '#tests/helpers/fakes/evolution_server'
import { createMember } from '#tests/helpers/tenancy'
import { addMessage, createContact, createConversation, createInbox, createTeam } from '#tests/functional/workflow/helpers'
import { SHOTS, noHorizontalScroll, signIn } from '#tests/browser/support'

/** The conversation list: counters, paging, search and filters, the history lines, phone navigation, dark theme. */
test.group('The agent inbox, the list', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('tab counters, infinite scroll, search and the team filter', async ({ visit, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const p = supervisor.provider
    const inbox = await createInbox(p.id)
    const billing = await createTeam(p.id, 'Financeiro')
    for (let i = 1; i <= 30; i++) {
      const contact = await createContact(p.id, { name: `Cliente ${String(i).padStart(2, '0')}` })
      await createConversation(p, { status: 'pending', inboxId: inbox.id, contactId: contact.id, teamId: i === 7 ? billing.id : null })
    }
    await createConversation(p, { status: 'bot', inboxId: inbox.id })

    const page = await signIn(visit, supervisor)
    const tab = (name: string) => page.getByRole('tab', { name: new RegExp(`^${name}`) })
    // Every conversation holds 2 unread messages: the counters are of the whole tab, not of the page loaded.
    await tab('Não atribuídas').getByTestId('tab-unread').filter({ hasText: '60' }).waitFor()
    await tab('Com IA').getByTestId('tab-unread').filter({ hasText: '2' }).waitFor()
    await tab('Todas').getByTestId('tab-unread').filter({ hasText: '62' }).waitFor()

    await tab('Não atribuídas').click()
    const rows = page.locator('[data-testid="conversation-row"]')
    await rows.nth(24).waitFor()
    assert.equal(await rows.count(), 25) // the first page
    await rows.nth(24).scrollIntoViewIfNeeded()
    await rows.nth(29).waitFor()
    assert.equal(await rows.count(), 30)
    await page.getByText('Fim da lista').waitFor()

    await page.getByRole('searchbox', { name: 'Buscar conversas' }).fill('Cliente 12')
    await page.waitForFunction(`document.querySelectorAll('[data-testid="conversation-row"]').length === 1`)
    await rows.filter({ hasText: 'Cliente 12' }).waitFor()
    await page.getByRole('searchbox', { name: 'Buscar conversas' }).fill('')
    await rows.nth(24).waitFor()

    await page.getByLabel('Equipe', { exact: true }).selectOption({ label: 'Financeiro' })
    await page.waitForFunction(`document.querySelectorAll('[data-testid="conversation-row"]').length === 1`)
    await rows.filter({ hasText: 'Cliente 07' }).waitFor()
    await page.screenshot({ path: `${SHOTS}/inbox-list-desktop.png` })
  })

  test('snoozing takes a conversation out of the tab until later; the filter shows it; waking brings it back', async ({ visit, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const p = supervisor.provider
    const inbox = await createInbox(p.id)
    for (const name of ['Ana Lima', 'Bruno Reis']) {
      const contact = await createContact(p.id, { name })
      await createConversation(p, { status: 'pending', inboxId: inbox.id, contactId: contact.id })
    }
    const page = await signIn(visit, supervisor)
    const tab = (name: string) => page.getByRole('tab', { name: new RegExp(`^${name}`) })
    await tab('Não atribuídas').click()
    const rows = page.locator('[data-testid="conversation-row"]')
    await rows.filter({ hasText: 'Ana Lima' }).click()

    await page.getByTestId('snooze').selectOption({ label: 'Por 4 horas' })
    await page.getByTestId('conversation-status').filter({ hasText: 'Adiada até' }).waitFor()
    await page.waitForFunction(`document.querySelectorAll('[data-testid="conversation-row"]').length === 1`)
    await tab('Não atribuídas').getByTestId('tab-unread').filter({ hasText: /^2$/ }).waitFor() // only Bruno's 2 unread
    const stored = await Conversation.query().where('providerId', p.id).whereNotNull('snoozedUntil').firstOrFail()
    const hours = stored.snoozedUntil!.diffNow('hours').hours
    assert.isAbove(hours, 3.9)
    assert.isBelow(hours, 4.1)

    await page.getByTestId('snoozed-filter').check()
    await rows.filter({ hasText: 'Ana Lima' }).getByTestId('row-snoozed').waitFor()
    assert.equal(await rows.count(), 1)
    await page.screenshot({ path: `${SHOTS}/inbox-snoozed-desktop.png` })

    await page.getByTestId('snooze').selectOption({ label: 'Tirar o adiamento' })
    await page.waitForFunction(`document.querySelectorAll('[data-testid="conversation-row"]').length === 0`)
    await page.getByTestId('snoozed-filter').uncheck()
    await rows.filter({ hasText: 'Ana Lima' }).waitFor()
    assert.equal(await rows.count(), 2)
    assert.isNull((await Conversation.findOrFail(stored.id)).snoozedUntil)
  })

  test('on a phone: list, conversation, back; taking it leaves a history line and moves the counters; dark theme', async ({ visit, assert }) => {
    const agent = await createMember(null, 'agent')
    const p = agent.provider
    const support = await createTeam(p.id, 'Suporte', [agent.user.id])
    const contact = await createContact(p.id, { name: 'Bruna Teles' })
    const conversation = await createConversation(p, { status: 'pending', teamId: support.id, contactId: contact.id })
    await addMessage(conversation, 'Minha fatura veio em dobro, podem verificar por favor?')

    const page = await signIn(visit, agent)
    await page.setViewportSize({ width: 390, height: 844 })
    await page.getByRole('tab', { name: /^Não atribuídas/ }).click()
    const row = page.locator('[data-testid="conversation-row"]', { hasText: 'Bruna Teles' })
    await row.waitFor()
    assert.isTrue(await noHorizontalScroll(page))
    await page.screenshot({ path: `${SHOTS}/inbox-list-phone.png` })

    await row.click()
    await page.locator('[data-testid="message"]', { hasText: 'fatura veio em dobro' }).waitFor()
    assert.isFalse(await row.isVisible()) // the conversation has the whole screen
    assert.isTrue(await noHorizontalScroll(page))

    await page.getByRole('button', { name: 'Atender' }).click()
    const line = page.locator('[data-testid="message-event"][data-kind="taken"]')
    await line.filter({ hasText: `${agent.user.name} assumiu a conversa` }).waitFor()
    await page.locator('[data-testid="conversation-status"]', { hasText: `Com ${agent.user.name}` }).waitFor()
    await page.screenshot({ path: `${SHOTS}/inbox-conversation-taken-phone.png` })

    await page.getByRole('button', { name: 'Voltar para a lista' }).click()
    await page.getByRole('tab', { name: /^Minhas/ }).getByTestId('tab-count').filter({ hasText: '1' }).waitFor()
    assert.isTrue(await noHorizontalScroll(page))

    // Dark theme (the user's theme follows the system here), at both sizes.
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.reload()
    await page.getByRole('tab', { name: /^Minhas/ }).click()
    await row.click()
    await line.waitFor()
    assert.isTrue(await page.evaluate(`document.documentElement.classList.contains('dark')`) as boolean)
    await page.screenshot({ path: `${SHOTS}/inbox-conversation-dark-phone.png` })
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.screenshot({ path: `${SHOTS}/inbox-conversation-dark-desktop.png` })
  })

  test('the history: days, every kind of content, AI tool and survey lines, older pages when scrolling up, new ones offered', async ({ visit, client, assert }) => {
    const admin = await createMember(null, 'admin')
    const p = admin.provider
    const contact = await createContact(p.id, { name: 'Helena Castro' })
    const conversation = await createConversation(p, { status: 'open', assigneeId: admin.user.id, contactId: contact.id, lastActivityAt: DateTime.now() })
    const base = { providerId: p.id, conversationId: conversation.id, inboxId: conversation.inboxId, reactions: [], metadata: {} }
    const customer = { ...base, direction: 'in' as const, senderKind: 'customer' as const, status: 'received' as const }
    const yesterday = DateTime.now().minus({ days: 1 }).set({ hour: 10 })
    for (let i = 1; i <= 70; i++) await Message.create({ ...customer, type: 'text', content: `antiga ${i}`, createdAt: yesterday.plus({ minutes: i }) })

    async function withFile(kind: string, mime: string, fileName: string, content: string | null) {
      const message = await Message.create({ ...customer, type: kind as any, content })
      const attachment = await Attachment.create({ providerId: p.id, messageId: message.id, kind, mime, fileName, status: 'ready', source: {} } as any)
      attachment.storageKey = `providers/${p.id}/attachments/${attachment.id}/${fileName}`
      await drive.use().put(attachment.storageKey, TINY_PNG)
      await attachment.save()
    }
    await withFile('image', 'image/png', 'foto.png', 'Foto do roteador')
    await withFile('video', 'video/mp4', 'video.mp4', null)
    await withFile('voice', 'audio/ogg', 'audio.ogg', null)
    await withFile('document', 'application/pdf', 'contrato.pdf', null)
    await Message.create({ ...customer, type: 'location', content: null, metadata: { location: { latitude: -23.55, longitude: -46.63, name: 'Rua das Palmeiras, 128' } } })
    await Message.create({ ...customer, type: 'contact', content: null, metadata: { contacts: [{ name: 'João Técnico', phones: ['+55 11 97777-0000'] }] } })
    await Message.create({ ...base, direction: 'out', senderKind: 'system', type: 'event', private: true, status: 'sent', content: 'Fatura em aberto encontrada: R$ 99,90', metadata: { tool: 'consultar_faturas', toolResult: {} } })
    await Message.create({ ...base, direction: 'out', senderKind: 'system', type: 'text', status: 'sent', content: 'Como você avalia o atendimento? Responda de 1 a 5.', metadata: { csat: { surveyId: 1, part: 'question' } } })

    const page = await signIn(visit, admin)
    await page.locator('[data-testid="conversation-row"]', { hasText: 'Helena Castro' }).click()
    const list = page.getByTestId('message-list')
    await list.getByText('Como você avalia o atendimento?').waitFor()
    await list.getByTestId('csat-badge').waitFor()
    await list.locator('[data-testid="message-event"][data-kind="tool"]', { hasText: 'IA usou consultar_faturas: Fatura em aberto encontrada' }).waitFor()
    await list.getByRole('link', { name: /Rua das Palmeiras, 128/ }).waitFor()
    await list.getByText('João Técnico · +55 11 97777-0000').waitFor()
    await list.getByRole('link', { name: 'contrato.pdf' }).waitFor()
    await list.locator('audio').waitFor({ state: 'attached' })
    await list.locator('video').waitFor({ state: 'attached' })
    const image = list.getByRole('img', { name: 'foto.png' })
    await image.waitFor()
    await page.waitForFunction(`[...document.querySelectorAll('[data-testid="message-list"] img')].some((img) => img.complete && img.naturalWidth === 1)`)
    await list.getByText('Hoje').waitFor()
    await page.screenshot({ path: `${SHOTS}/inbox-history-desktop.png` })

    // Older pages come in when scrolling up, under their own day.
    assert.equal(await list.getByText('antiga 1', { exact: true }).count(), 0)
    for (let i = 0; i < 40 && !(await list.getByText('antiga 1', { exact: true }).count()); i++) {
      await list.evaluate((element) => element.scrollTo({ top: 0 }))
      await page.waitForTimeout(200)
    }
    await list.getByText('antiga 1', { exact: true }).waitFor()
    await list.getByText('Ontem').waitFor()

    // A colleague writes meanwhile: the reader is not pulled down, a button offers the new message.
    const colleague = await createMember(p, 'supervisor')
    ;(await client.post(`/api/v1/providers/${p.id}/conversations/${conversation.id}/messages`).header('authorization', colleague.token).json({ content: 'Já liguei para ela', private: true })).assertStatus(201)
    await page.getByTestId('new-messages').filter({ hasText: 'Novas mensagens (1)' }).waitFor()
    await list.getByText('antiga 1', { exact: true }).waitFor()
    await page.getByTestId('new-messages').click()
    await list.locator('[data-testid="message-note"]', { hasText: 'Já liguei para ela' }).waitFor()
    assert.equal(await page.getByTestId('new-messages').count(), 0)
  })

  test('in English: the tabs, the history lines and the composer', async ({ visit }) => {
    const agent = await createMember(null, 'agent')
    await User.query().where('id', agent.user.id).update({ locale: 'en' })
    const contact = await createContact(agent.provider.id, { name: 'Paul Smith' })
    await createConversation(agent.provider, { status: 'pending', contactId: contact.id })
    const page = await signIn(visit, agent)
    await page.getByRole('tab', { name: /^Mine/ }).waitFor()
    await page.getByRole('tab', { name: /^With AI/ }).waitFor()
    await page.getByRole('tab', { name: /^Unassigned/ }).click()
    await page.locator('[data-testid="conversation-row"]', { hasText: 'Paul Smith' }).click()
    await page.getByRole('button', { name: 'Take' }).click()
    await page.locator('[data-testid="message-event"]', { hasText: `${agent.user.name} took the conversation` }).waitFor()
    await page.getByPlaceholder('Write a message…').waitFor()
    await page.screenshot({ path: `${SHOTS}/inbox-conversation-english-desktop.png` })
  })

  test('actions: labels, priority, assign to an agent, hand back to the AI, resolve and reopen', async ({ visit, assert }) => {
    const supervisor = await createMember(null, 'supervisor')
    const agent = await createMember(supervisor.provider, 'agent')
    const contact = await createContact(supervisor.provider.id, { name: 'Otávio Reis' })
    const conversation = await createConversation(supervisor.provider, { status: 'pending', contactId: contact.id })
    const page = await signIn(visit, supervisor)
    await page.getByRole('tab', { name: /^Todas/ }).click()
    const row = page.locator('[data-testid="conversation-row"]', { hasText: 'Otávio Reis' })
    await row.click()
    const status = page.getByTestId('conversation-status')
    const stored = () => Conversation.findOrFail(conversation.id)

    await page.getByLabel('Etiquetas').fill('fibra, Retenção')
    await page.getByLabel('Etiquetas').press('Enter')
    await row.getByText('retenção').waitFor() // stored lower-case, shown on the row
    assert.deepEqual((await stored()).labels, ['fibra', 'retenção'])

    await page.getByLabel('Prioridade').selectOption('urgent')
    await row.getByText('Urgente').waitFor()
    assert.equal((await stored()).priority, 'urgent')

    await page.getByLabel('Transferir').selectOption(`agent:${agent.user.id}`)
    await status.filter({ hasText: `Com ${agent.user.name}` }).waitFor()
    await page.locator('[data-testid="message-event"][data-kind="assigned"]', { hasText: `atribuiu a conversa a ${agent.user.name}` }).waitFor()

    await page.getByLabel('Transferir').selectOption('bot')
    await status.filter({ hasText: 'Com IA' }).waitFor()
    await page.locator('[data-testid="message-event"]', { hasText: 'devolveu a conversa para a IA' }).waitFor()

    await page.getByRole('button', { name: 'Resolver', exact: true }).click()
    await page.getByRole('button', { name: 'Resolver conversa' }).click()
    await status.filter({ hasText: 'Resolvida' }).waitFor()
    await page.getByRole('button', { name: 'Reabrir' }).click()
    await status.filter({ hasText: 'Em espera' }).waitFor()
    await page.locator('[data-testid="message-event"][data-kind="reopened"]').waitFor()
    assert.equal((await stored()).status, 'pending')
  })
})
