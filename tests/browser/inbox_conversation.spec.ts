import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { TINY_PNG } from '#tests/helpers/fakes/evolution_server'
import { FakeSgp } from '#tests/helpers/fakes/sgp_server'
import { createMember, type Member } from '#tests/helpers/tenancy'
import { fakeMicrophone, whatsappWorld } from '#tests/browser/inbox_support'
import { SHOTS, noHorizontalScroll, signIn, until } from '#tests/browser/support'

/** One conversation, everything an agent does in it: the composer's tools, message actions, the contact panel. */
test.group('The agent inbox, a conversation', (group) => {
  const world = whatsappWorld(group)

  /** An Evolution inbox whose customer wrote `text`; the page is signed in with the conversation open. */
  async function openCustomerConversation(visit: any, client: any, admin: Member, text: string, document?: string) {
    ;(await client.post(await world.inbox(client, admin)).json(world.evolution.text({ lid: null, id: 'CUSTOMER-1', phone: '5511988887777', name: 'Maria Souza', text }))).assertStatus(200)
    if (document) await db.from('contacts').where('provider_id', admin.provider.id).update({ document })
    const page = await signIn(visit, admin)
    await page.getByRole('tab', { name: 'Todas' }).click()
    await page.locator('[data-testid="conversation-row"]', { hasText: 'Maria Souza' }).click()
    await page.locator('[data-testid="message"]', { hasText: text }).waitFor()
    return page
  }

  const sent = (predicate: (body: any, path: string) => boolean) => world.evolution.sends().some((r) => predicate(r.body, r.path))

  test('composer: a canned response by /shortcut, a quoted reply, an emoji, an image with preview and progress, a voice note', async ({ visit, client, assert, browserContext }) => {
    await fakeMicrophone(browserContext)
    const admin = await createMember(null, 'admin')
    ;(await client.post(`/api/v1/providers/${admin.provider.id}/canned-responses`).header('authorization', admin.token).json({ shortcut: 'boleto', content: 'Segue a segunda via do seu boleto.' })).assertStatus(201)
    const page = await openCustomerConversation(visit, client, admin, 'Preciso do boleto')
    const composer = page.getByTestId('composer')

    // "/bol" offers the canned response; Enter takes it, Enter again sends it.
    await composer.fill('/bol')
    await page.getByRole('option', { name: /boleto/ }).waitFor()
    await composer.press('Enter')
    assert.equal(await composer.inputValue(), 'Segue a segunda via do seu boleto.')
    await composer.press('Enter')
    await until(() => sent((body) => body.text === 'Segue a segunda via do seu boleto.'), 'the canned response at WhatsApp')

    // Shift+Enter is a new line; a quoted reply carries the customer's message.
    await page.locator('[data-testid="message"]', { hasText: 'Preciso do boleto' }).hover()
    await page.getByRole('button', { name: 'Responder' }).first().click()
    await page.getByTestId('reply-preview').filter({ hasText: 'Preciso do boleto' }).waitFor()
    await composer.fill('Claro!')
    await composer.press('Shift+Enter')
    await composer.pressSequentially('Enviei acima.')
    await composer.press('Enter')
    await until(() => sent((body) => body.text === 'Claro!\nEnviei acima.'), 'the quoted reply at WhatsApp')
    const reply = world.evolution.sends().find((r) => r.body.text === 'Claro!\nEnviei acima.')!
    assert.equal(reply.body.quoted?.key?.id, 'CUSTOMER-1')
    await page.locator('[data-testid="message"][data-direction="out"]', { hasText: 'Enviei acima.' }).locator('blockquote', { hasText: 'Preciso do boleto' }).waitFor()
    assert.equal(await page.getByTestId('reply-preview').count(), 0)

    // The emoji picker writes into the composer.
    await page.getByRole('button', { name: 'Emoji' }).click()
    await page.locator('.v3-emojis button').first().click()
    assert.match(await composer.inputValue(), /\p{Extended_Pictographic}/u)
    await composer.fill('')

    // An image: preview while it uploads, then sent with its caption.
    await page.getByTestId('file-input').setInputFiles({ name: 'modem.png', mimeType: 'image/png', buffer: TINY_PNG })
    await page.getByTestId('upload').locator('img').waitFor()
    await page.getByTestId('upload').filter({ hasText: 'modem.png' }).waitFor()
    await page.waitForFunction(`!document.querySelector('[data-testid="upload"]')?.textContent?.includes('%')`)
    await composer.fill('Foto do modem')
    await page.screenshot({ path: `${SHOTS}/inbox-composer-upload-desktop.png` })
    await composer.press('Enter')
    await until(() => sent((body, path) => path.startsWith('/message/sendMedia') && body.caption === 'Foto do modem'), 'the image at WhatsApp')
    await page.locator('[data-testid="message"][data-direction="out"]', { hasText: 'Foto do modem' }).locator('img').waitFor()

    // A voice note recorded in the browser goes out as a WhatsApp voice message.
    await page.getByRole('button', { name: 'Gravar áudio' }).click()
    await page.getByRole('button', { name: 'Parar e enviar' }).waitFor()
    await page.waitForTimeout(1200)
    await page.getByRole('button', { name: 'Parar e enviar' }).click()
    await until(() => sent((_body, path) => path.startsWith('/message/sendWhatsAppAudio')), 'the voice note at WhatsApp', 30_000)
    // Converted to OGG by the worker, the note gets its player without a reload.
    await page.locator('[data-testid="message"][data-direction="out"] audio').waitFor({ state: 'attached' })
  })

  test('message actions: react, delete for everyone, and a private note that never leaves', async ({ visit, client, assert }) => {
    const admin = await createMember(null, 'admin')
    const page = await openCustomerConversation(visit, client, admin, 'Obrigada pela ajuda')

    await page.locator('[data-testid="message"]', { hasText: 'Obrigada pela ajuda' }).hover()
    await page.getByRole('button', { name: 'Reagir 👍' }).click()
    await page.locator('[data-testid="message"]', { hasText: 'Obrigada pela ajuda' }).getByText('👍').waitFor()
    await until(() => world.evolution.requests.some((r) => r.path.startsWith('/message/sendReaction') && r.body.reaction === '👍'), 'the reaction at WhatsApp')

    await page.getByTestId('composer').fill('Mensagem errada')
    await page.getByTestId('composer').press('Enter')
    const mine = page.locator('[data-testid="message"][data-direction="out"]', { hasText: 'Mensagem errada' })
    await mine.waitFor()
    await until(async () => (await db.from('messages').where('content', 'Mensagem errada').first())?.external_id, 'the message sent')
    await mine.hover()
    await mine.getByRole('button', { name: 'Apagar para todos' }).click()
    await page.locator('[data-testid="message"][data-direction="out"]', { hasText: 'Mensagem apagada' }).waitFor()
    assert.isTrue(world.evolution.requests.some((r) => r.path.startsWith('/chat/deleteMessageForEveryone')))

    await page.getByRole('button', { name: 'Nota interna' }).click()
    await page.getByTestId('composer').fill('Cliente satisfeita, pode encerrar')
    await page.getByTestId('composer').press('Enter')
    await page.locator('[data-testid="message-note"]', { hasText: 'pode encerrar' }).waitFor()
    await page.waitForTimeout(500)
    assert.isFalse(world.evolution.requests.some((r) => JSON.stringify(r.body ?? {}).includes('pode encerrar')))
  })

  test('contact panel: edit the contact and its attributes, ISP data on demand, past conversations; on a phone it covers the conversation', async ({ visit, client, assert }) => {
    const sgp = await FakeSgp.start()
    try {
      const admin = await createMember(null, 'admin')
      ;(await client.put(`/api/v1/providers/${admin.provider.id}/settings/isp`).header('authorization', admin.token).json({ plugin: 'sgp', config: { baseUrl: sgp.baseUrl, app: sgp.app, token: sgp.token } })).assertStatus(200)
      const page = await openCustomerConversation(visit, client, admin, 'Estou sem sinal', '12345678909')

      await page.getByRole('button', { name: 'Dados do contato' }).click()
      const panel = page.getByTestId('contact-panel')
      await panel.getByText('5511988887777').waitFor()
      await panel.getByRole('button', { name: 'Editar contato' }).click()
      await panel.getByLabel('E-mail').fill('maria@example.com')
      await panel.getByRole('button', { name: 'Adicionar atributo' }).click()
      await panel.getByLabel('Nome do atributo').fill('bairro')
      await panel.getByLabel('Valor').fill('Centro')
      await panel.getByRole('button', { name: 'Salvar' }).click()
      await panel.getByRole('status').filter({ hasText: 'Contato salvo.' }).waitFor()
      await panel.getByTestId('contact-data').filter({ hasText: 'bairro: Centro' }).waitFor()
      const stored = await db.from('contacts').where('provider_id', admin.provider.id).firstOrFail()
      assert.equal(stored.email, 'maria@example.com')
      assert.deepEqual(stored.custom_attributes, { bairro: 'Centro' })

      // A bad value is refused with the API's message, and nothing changes.
      await panel.getByRole('button', { name: 'Editar contato' }).click()
      await panel.getByLabel('CPF/CNPJ').fill('123')
      await panel.getByLabel('E-mail').fill('outra@example.com')
      await panel.getByRole('button', { name: 'Salvar' }).click()
      await panel.getByRole('alert').waitFor()
      const unchanged = await db.from('contacts').where('id', stored.id).firstOrFail()
      assert.equal(unchanged.email, 'maria@example.com')
      assert.equal(unchanged.document, '12345678909')
      await panel.getByRole('button', { name: 'Cancelar' }).click()

      // ISP data only when asked.
      assert.lengthOf(sgp.calls('consultacliente'), 0)
      await panel.getByRole('button', { name: 'Consultar no sistema' }).click()
      const contract = panel.getByTestId('isp-contract').filter({ hasText: 'Contrato 10457' })
      await contract.waitFor()
      await contract.getByTestId('isp-connection').filter({ hasText: 'Offline' }).waitFor()
      assert.isAtLeast(await contract.getByTestId('isp-invoice').count(), 1)
      assert.equal(sgp.calls('consultacliente')[0].body.cpfcnpj, '12345678909')
      await page.screenshot({ path: `${SHOTS}/inbox-contact-desktop.png` })

      // An earlier, resolved conversation of the same customer opens from the panel.
      const current = await db.from('conversations').where('provider_id', admin.provider.id).firstOrFail()
      const earlier = await db.table('conversations').insert({ ...current, id: undefined, status: 'resolved', last_activity_at: new Date('2026-01-01T00:00:00Z'), last_message_preview: 'Conversa antiga', created_at: new Date(), updated_at: new Date() }).returning('id')
      await page.reload()
      await page.getByRole('tab', { name: 'Todas' }).click()
      await page.locator('[data-testid="conversation-row"]', { hasText: 'Maria Souza' }).click()
      await page.getByRole('button', { name: 'Dados do contato' }).click()
      await page.getByTestId('contact-panel').getByRole('button', { name: /Conversa antiga/ }).click()
      await page.locator('[data-testid="conversation-status"]', { hasText: 'Resolvida' }).waitFor()
      assert.exists(earlier[0])

      // On a phone the panel covers the conversation and closes back to it.
      await page.setViewportSize({ width: 390, height: 844 })
      await page.getByRole('button', { name: 'Dados do contato' }).click()
      await page.getByTestId('contact-panel').getByText('bairro').waitFor()
      assert.isTrue(await noHorizontalScroll(page))
      await page.screenshot({ path: `${SHOTS}/inbox-contact-phone.png` })
      await page.getByRole('button', { name: 'Fechar dados do contato' }).click()
      await page.getByTestId('composer').waitFor()
    } finally {
      await sgp.close()
    }
  })
})
