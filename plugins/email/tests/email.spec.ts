import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { ImapFlow } from 'imapflow'
import channelListeners from '#services/channel_listener_service'
import { FakeOpenAi } from '#tests/helpers/fakes/openai_server'
import { TINY_PNG } from '#tests/helpers/fakes/evolution_server'
import { TestDovecot, dovecotAvailable } from '#tests/helpers/mail/dovecot'
import { SmtpSink } from '#tests/helpers/mail/smtp_sink'
import { createMember, type Member } from '#tests/helpers/tenancy'
import { drainQueues, startTestWorkers, stopTestWorkers } from '#tests/helpers/workers'

const CUSTOMER = 'maria.souza@cliente.test'

/** A mail as a customer's client would send it (CRLF, headers, optional PNG attachment). */
function mail(options: { id: string; subject?: string; text?: string; html?: string; inReplyTo?: string; references?: string; headers?: string[]; attachment?: boolean; from?: string }) {
  const boundary = 'niochat-test-boundary'
  const head = [
    `From: Maria Souza <${options.from ?? CUSTOMER}>`,
    'To: Atendimento <atendimento@provedor.test>',
    `Subject: ${options.subject ?? 'Internet lenta'}`,
    `Message-ID: ${options.id}`,
    `Date: ${new Date().toUTCString()}`,
    ...(options.inReplyTo ? [`In-Reply-To: ${options.inReplyTo}`] : []),
    ...(options.references ? [`References: ${options.references}`] : []),
    ...(options.headers ?? []),
    'MIME-Version: 1.0',
  ]
  const body = options.html
    ? { type: 'text/html; charset=utf-8', content: options.html }
    : { type: 'text/plain; charset=utf-8', content: options.text ?? 'Minha internet está lenta desde ontem.' }
  if (!options.attachment) return [...head, `Content-Type: ${body.type}`, '', body.content, ''].join('\r\n')
  return [
    ...head,
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    `Content-Type: ${body.type}`,
    '',
    body.content,
    `--${boundary}`,
    'Content-Type: image/png; name="modem.png"',
    'Content-Disposition: attachment; filename="modem.png"',
    'Content-Transfer-Encoding: base64',
    '',
    TINY_PNG.toString('base64'),
    `--${boundary}--`,
    '',
  ].join('\r\n')
}

async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

test.group('E-mail channel (real Dovecot IMAP + SMTP on loopback)', (group) => {
  let dovecot: TestDovecot
  let smtp: SmtpSink
  let admin: Member
  let base: string
  let inboxId: number

  group.setup(async () => {
    if (!dovecotAvailable()) throw new Error('Dovecot is not installed (apt install dovecot-imapd; .ci/run does it)')
    await startTestWorkers()
    return () => stopTestWorkers()
  })

  group.each.setup(async () => {
    const truncate = await testUtils.db().truncate()
    dovecot = await new TestDovecot().start()
    smtp = await new SmtpSink(dovecot.user, dovecot.password).start()
    admin = await createMember(null, 'admin')
    base = `/api/v1/providers/${admin.provider.id}`
    return async () => {
      await channelListeners.stop()
      await smtp.close()
      await dovecot.destroy()
      await truncate()
    }
  })

  const config = (overrides: Record<string, unknown> = {}) => ({
    imapHost: '127.0.0.1',
    imapPort: dovecot.port,
    imapTls: 'none',
    smtpHost: '127.0.0.1',
    smtpPort: smtp.port,
    smtpTls: 'none',
    user: dovecot.user,
    password: dovecot.password,
    fromName: 'Provedor Fibra',
    ...overrides,
  })

  async function createInbox(client: ApiClient) {
    const response = await client.post(`${base}/inboxes`).header('authorization', admin.token).json({ name: 'E-mail', plugin: 'email', config: config() })
    response.assertStatus(201)
    inboxId = response.body().id
    await channelListeners.sync()
    return response
  }

  async function append(raw: string) {
    const client = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false })
    await client.connect()
    await client.append('INBOX', raw)
    await client.logout()
  }

  async function seenFlags() {
    const client = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false })
    await client.connect()
    await client.mailboxOpen('INBOX', { readOnly: true })
    const flags: boolean[] = []
    for await (const message of client.fetch('1:*', { flags: true })) flags.push(message.flags?.has('\\Seen') ?? false)
    await client.logout()
    return flags
  }

  const inboundCount = async () => Number((await db.from('messages').where({ provider_id: admin.provider.id, direction: 'in' }).count('* as n'))[0].n)

  test('a mail arrives: a conversation with its text and attachment, and the mail is then marked seen', async ({ client, assert }) => {
    const created = await createInbox(client)
    assert.notInclude(JSON.stringify(created.body()), dovecot.password)
    assert.isTrue(channelListeners.running(inboxId))
    await append(mail({ id: '<first@cliente.test>', attachment: true }))
    await waitFor(async () => (await inboundCount()) === 1, 'the mail to be stored')
    await drainQueues(30_000)

    const conversation = await db.from('conversations').where('provider_id', admin.provider.id).firstOrFail()
    const message = await db.from('messages').where('conversation_id', conversation.id).firstOrFail()
    assert.include(message.content, 'Minha internet está lenta desde ontem.')
    assert.include(message.content, 'Internet lenta')
    assert.equal(message.external_id, '<first@cliente.test>')
    const attachment = await db.from('attachments').where('message_id', message.id).firstOrFail()
    assert.equal(attachment.status, 'ready')
    assert.equal(attachment.file_name, 'modem.png')
    const contact = await db.from('contact_identities').where('provider_id', admin.provider.id).firstOrFail()
    assert.deepEqual([contact.kind, contact.value], ['email', CUSTOMER])
    await waitFor(async () => (await seenFlags()).every(Boolean), 'the \\Seen flag')
  })

  test('an agent answers by SMTP in the thread; the customer\'s reply lands in the same conversation', async ({ client, assert }) => {
    await createInbox(client)
    await append(mail({ id: '<ask@cliente.test>', html: '<p>Olá,</p><p>Minha <b>fatura</b> veio errada.</p>', subject: 'Fatura de junho' }))
    await waitFor(async () => (await inboundCount()) === 1, 'the mail to be stored')
    const inbound = await db.from('messages').where({ provider_id: admin.provider.id, direction: 'in' }).firstOrFail()
    assert.include(inbound.content, 'Minha fatura veio errada.') // HTML turned into text

    const upload = await client.post(`${base}/uploads`).header('authorization', admin.token).file('file', TINY_PNG, { filename: 'segunda-via.png', contentType: 'image/png' })
    ;(await client.post(`${base}/conversations/${inbound.conversation_id}/messages`).header('authorization', admin.token).json({ content: 'Olá Maria, corrigimos a fatura.' })).assertStatus(201)
    ;(await client.post(`${base}/conversations/${inbound.conversation_id}/messages`).header('authorization', admin.token).json({ content: 'Segue a segunda via.', attachments: [upload.body().id] })).assertStatus(201)
    await drainQueues(30_000)

    assert.lengthOf(smtp.received, 2)
    const [answer, withFile] = smtp.received
    assert.equal(answer.mail.inReplyTo, '<ask@cliente.test>')
    assert.include(String(answer.mail.references), '<ask@cliente.test>')
    assert.equal(answer.mail.subject, 'Re: Fatura de junho')
    assert.include(answer.mail.from?.text ?? '', admin.user.name)
    assert.include(answer.mail.from?.text ?? '', 'Provedor Fibra')
    assert.deepEqual(answer.envelope.to, [CUSTOMER])
    assert.equal(withFile.mail.attachments[0].filename, 'segunda-via.png')
    const sent = await db.from('messages').where({ provider_id: admin.provider.id, direction: 'out' }).orderBy('id')
    assert.equal(sent[0].external_id, answer.mail.messageId)

    await append(mail({ id: '<reply@cliente.test>', subject: 'Re: Fatura de junho', text: 'Obrigada!\n\nEm 10/06/2025 Provedor escreveu:\n> Olá Maria, corrigimos a fatura.', inReplyTo: answer.mail.messageId, references: `<ask@cliente.test> ${answer.mail.messageId}` }))
    await waitFor(async () => (await inboundCount()) === 2, 'the reply to be stored')
    const conversations = await db.from('conversations').where('provider_id', admin.provider.id)
    assert.lengthOf(conversations, 1)
    const reply = await db.from('messages').where({ external_id: '<reply@cliente.test>' }).firstOrFail()
    assert.equal(reply.content, 'Obrigada!') // the quoted history is left out
  })

  test('auto-replies and bounces are stored but the AI never answers them', async ({ client, assert }) => {
    const ai = await FakeOpenAi.start()
    try {
      ;(await client.put(`${base}/settings/ai`).header('authorization', admin.token).json({ enabled: true, plugin: 'openai', config: { baseUrl: ai.baseUrl, apiKey: ai.apiKey, model: 'gpt-4o-mini', maxRetries: 0 }, debounceSeconds: 0.2 })).assertStatus(200)
      await createInbox(client)
      await append(mail({ id: '<ooo@cliente.test>', subject: 'Ausente', text: 'Estou de férias.', headers: ['Auto-Submitted: auto-replied'] }))
      await append(mail({ id: '<bounce@mailer.test>', from: 'MAILER-DAEMON@mailer.test', subject: 'Undelivered Mail', text: 'Delivery failed' }))
      await append(mail({ id: '<list@cliente.test>', from: 'news@cliente.test', subject: 'Newsletter', text: 'Promo', headers: ['Precedence: bulk'] }))
      await waitFor(async () => (await inboundCount()) === 3, 'the three mails to be stored')
      await drainQueues(30_000)
      const stored = await db.from('messages').where({ provider_id: admin.provider.id, direction: 'in' })
      assert.isTrue(stored.every((m) => m.metadata.automated === true))
      assert.lengthOf(ai.requests, 0)
      assert.lengthOf(await db.from('messages').where({ provider_id: admin.provider.id, direction: 'out' }), 0)
    } finally {
      await ai.close()
    }
  })

  test('the conformance properties of a pulled channel: a copy of a mail is stored once, order is kept, a mail without sender is skipped', async ({ client, assert }) => {
    await createInbox(client)
    const first = mail({ id: '<dup@cliente.test>', text: 'um' })
    await append(first)
    await append(first) // the same mail twice in the mailbox (a client's retry, a filter's copy)
    await append(mail({ id: '<order-2@cliente.test>', text: 'dois' }))
    await append(mail({ id: '<order-3@cliente.test>', text: 'três' }))
    await append('Subject: sem remetente\r\nMessage-ID: <nofrom@x.test>\r\n\r\nsem from\r\n')
    await append(mail({ id: '<order-4@cliente.test>', text: 'quatro' }))
    await waitFor(async () => (await inboundCount()) === 4, 'four messages')
    await waitFor(async () => (await seenFlags()).every(Boolean), 'every mail flagged seen')
    const stored = await db.from('messages').where({ provider_id: admin.provider.id, direction: 'in' }).orderBy('id')
    assert.deepEqual(stored.map((m) => m.content.split('\n').at(-1)), ['um', 'dois', 'três', 'quatro'])
    assert.lengthOf(await db.from('conversations').where('provider_id', admin.provider.id), 1)
    const conversation = await client.get(`${base}/conversations/${stored[0].conversation_id}`).header('authorization', admin.token)
    assert.equal(conversation.body().lastMessagePreview.split('\n').at(-1), 'quatro')
  })

  test('the IMAP server restarts mid-run: the listener reconnects and nothing is lost or stored twice', async ({ client, assert }) => {
    await createInbox(client)
    await append(mail({ id: '<before@cliente.test>' }))
    await waitFor(async () => (await inboundCount()) === 1, 'the first mail')

    await dovecot.stop()
    dovecot.deliverToMaildir(mail({ id: '<while-down-1@cliente.test>', text: 'primeira enquanto caído' }))
    dovecot.deliverToMaildir(mail({ id: '<while-down-2@cliente.test>', text: 'segunda enquanto caído' }))
    await dovecot.start()
    await waitFor(async () => (await inboundCount()) === 3, 'the mails delivered while the server was down', 45_000)

    // A restart of the worker resumes after the last UID: nothing is fetched again.
    await channelListeners.stop()
    await channelListeners.sync()
    await append(mail({ id: '<after@cliente.test>' }))
    await waitFor(async () => (await inboundCount()) === 4, 'the mail after the restart')
    const ids = (await db.from('messages').where({ provider_id: admin.provider.id, direction: 'in' }).orderBy('id')).map((m) => m.external_id)
    // Dovecot numbers the two mails dropped while it was down in the order it finds them: either is fine.
    assert.lengthOf(ids, 4)
    assert.sameMembers(ids, ['<before@cliente.test>', '<while-down-1@cliente.test>', '<while-down-2@cliente.test>', '<after@cliente.test>'])
    assert.equal(ids[0], '<before@cliente.test>')
    assert.equal(ids[3], '<after@cliente.test>')
    const state = (await db.from('inboxes').where('id', inboxId).firstOrFail()).state
    assert.isAtLeast(Number(state.lastUid), 4)
  }).timeout(90_000)

  test('test connection checks IMAP and SMTP; bad config is a 422; another provider sees nothing', async ({ client, assert }) => {
    await createInbox(client)
    const ok = await client.post(`${base}/inboxes/${inboxId}/test`).header('authorization', admin.token)
    assert.isTrue(ok.body().ok, JSON.stringify(ok.body()))
    const wrong = await client.post(`${base}/inboxes`).header('authorization', admin.token).json({ name: 'E-mail 2', plugin: 'email', config: config({ password: 'wrong' }) })
    wrong.assertStatus(201)
    const failed = await client.post(`${base}/inboxes/${wrong.body().id}/test`).header('authorization', admin.token)
    assert.isFalse(failed.body().ok)
    assert.notInclude(JSON.stringify(failed.body()), dovecot.password)
    const missing = await client.post(`${base}/inboxes`).header('authorization', admin.token).json({ name: 'E-mail 3', plugin: 'email', config: { user: 'x' } })
    missing.assertStatus(422)
    assert.includeMembers(missing.body().errors.map((e: any) => e.field), ['config.imapHost', 'config.smtpHost', 'config.password'])

    const other = await createMember(null, 'admin')
    ;(await client.get(`/api/v1/providers/${other.provider.id}/inboxes/${inboxId}`).header('authorization', other.token)).assertStatus(404)
    await append(mail({ id: '<isolated@cliente.test>' }))
    await waitFor(async () => (await inboundCount()) === 1, 'the mail')
    assert.lengthOf(await db.from('messages').where('provider_id', other.provider.id), 0)
  })
})
