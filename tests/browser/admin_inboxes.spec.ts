import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { FakeEvolution } from '#tests/helpers/fakes/evolution_server'
import { createMember } from '#tests/helpers/tenancy'
import { clickForToast, shootBoth } from '#tests/browser/admin_support'
import { signIn } from '#tests/browser/support'

test.group('Administration: inboxes through the generated form', (group) => {
  let evolution: FakeEvolution
  group.each.setup(async () => {
    const truncate = await testUtils.db().truncate()
    evolution = await new FakeEvolution().start()
    return async () => {
      await evolution.close()
      await truncate()
    }
  })

  test('an admin adds an Evolution inbox, copies its webhook, pairs it by QR and tests it; the secret never comes back', async ({ visit, assert }) => {
    const admin = await createMember(null, 'admin')
    const page = await signIn(visit, admin.user.email)
    await page.getByRole('link', { name: 'Administração' }).click()
    await page.waitForURL((url: URL) => url.pathname === '/admin/inboxes')
    await page.assertTextContains('[data-testid="empty-state"]', 'Nenhuma caixa de entrada ainda')
    await shootBoth(page, 'admin-inboxes-empty', assert)

    // Choose the plugin from the catalogue; its schema makes the form.
    await page.getByRole('button', { name: 'Adicionar caixa' }).first().click()
    await page.getByTestId('plugin-evolution').click()
    const form = page.getByTestId('inbox-form')
    await form.getByLabel('Nome da caixa').fill('WhatsApp Loja Centro')
    await form.getByLabel('Endereço da Evolution API').fill(evolution.baseUrl)
    const apiKey = form.getByLabel('Chave da API')
    assert.equal(await apiKey.getAttribute('type'), 'password')
    await apiKey.fill(evolution.apiKey)
    await page.assertTextContains('[data-testid="inbox-form"]', 'A chave global (AUTHENTICATION_API_KEY)') // the schema's help, in the reader's language
    assert.include(await form.locator('label[for="inbox-instance"]').innerText(), '*') // required mark
    await page.screenshot({ path: 'tests/browser/screenshots/admin-inbox-form-desktop.png', fullPage: true })

    // The instance name is missing: the API's error appears under that field and nothing is stored.
    await form.getByRole('button', { name: 'Criar caixa' }).click()
    await form.getByTestId('field-error').first().waitFor()
    assert.include(await form.locator('#inbox-instance-error').innerText(), 'instance')
    assert.equal((await db.from('inboxes').count('* as n'))[0].n, '0')

    await form.getByLabel('Nome da instância').fill(evolution.instance)
    await clickForToast(page, form.getByRole('button', { name: 'Criar caixa' }), 'Caixa criada.')
    const inbox = await db.from('inboxes').where('provider_id', admin.provider.id).firstOrFail()
    const card = page.getByTestId(`inbox-${inbox.id}`)

    // Webhook URL to copy; the plugin also registered it on Evolution.
    await page.assertTextContains('[data-testid="inbox-created"]', 'registrado no provedor automaticamente')
    assert.include(await card.getByTestId('webhook-url').innerText(), `/webhooks/evolution/${inbox.webhook_key}`)
    assert.isTrue(evolution.requests.some((r) => r.path.startsWith('/webhook/set')))
    await card.getByRole('button', { name: 'Copiar o endereço do webhook' }).click()
    await page.assertTextContains(`[data-testid="inbox-${inbox.id}"]`, 'Copiado')

    // While the phone is not linked, the QR and pairing code are shown and asked again.
    await card.getByTestId('pairing-code').waitFor()
    assert.equal(await card.getByTestId('pairing-code').innerText(), 'WZYEH1YY')
    assert.isTrue(await card.getByRole('img', { name: 'QR code para conectar o WhatsApp' }).isVisible())
    await page.assertTextContains(`[data-testid="inbox-${inbox.id}"] [data-testid="inbox-status"]`, 'Aguardando pareamento')
    await shootBoth(page, 'admin-inbox-pairing', assert, true)
    const asked = evolution.requests.filter((r) => r.path.startsWith('/instance/connect/')).length
    evolution.state = 'open' // the phone scanned the code
    await card.getByTestId('pairing-connected').waitFor({ timeout: 15_000 })
    await page.assertTextContains(`[data-testid="inbox-${inbox.id}"] [data-testid="inbox-status"]`, 'Conectada')
    assert.isAtLeast(evolution.requests.filter((r) => r.path.startsWith('/instance/')).length, asked + 1)

    await card.getByRole('button', { name: 'Testar conexão' }).click()
    await page.assertTextContains(`[data-testid="inbox-${inbox.id}"] [data-testid="test-result"]`, 'Conexão funcionando')
    assert.notInclude(await page.content(), evolution.apiKey)

    // The phone drops: Evolution says so by webhook, and the badge follows without a reload.
    const dropped = await fetch(await card.getByTestId('webhook-url').innerText(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(evolution.connection('close')),
    })
    assert.isBelow(dropped.status, 300)
    await page.waitForFunction(`document.querySelector('[data-testid="inbox-${inbox.id}"] [data-testid="inbox-status"]').textContent.includes('Desconectada')`)

    // Editing: the secret field starts empty, says it is saved, and is kept when left empty.
    await card.getByRole('button', { name: 'Editar' }).click()
    const edit = page.getByTestId('inbox-form')
    assert.equal(await edit.getByLabel('Chave da API').inputValue(), '')
    await page.assertTextContains('[data-testid="inbox-form"] [data-testid="field-badge"]', '••• salvo')
    assert.notInclude(await page.content(), evolution.apiKey)
    await edit.getByLabel('Nome da caixa').fill('WhatsApp Centro')
    await edit.getByRole('button', { name: 'Salvar' }).click()
    await page.assertTextContains(`[data-testid="inbox-${inbox.id}"]`, 'WhatsApp Centro')
    await card.getByRole('button', { name: 'Testar conexão' }).click()
    await page.assertTextContains(`[data-testid="inbox-${inbox.id}"] [data-testid="test-result"]`, 'Conexão funcionando')

    // A typed secret replaces the stored one (a wrong key makes the test fail).
    await card.getByRole('button', { name: 'Editar' }).click()
    await page.getByTestId('inbox-form').getByLabel('Chave da API').fill('wrong-key')
    await page.getByTestId('inbox-form').getByRole('button', { name: 'Salvar' }).click()
    await page.getByTestId('inbox-form').waitFor({ state: 'detached' })
    await card.getByRole('button', { name: 'Testar conexão' }).click()
    await page.assertTextContains(`[data-testid="inbox-${inbox.id}"] [data-testid="test-result"]`, 'A conexão falhou')
    await shootBoth(page, 'admin-inboxes', assert, true)

    // Deleting asks first; cancelling keeps the inbox.
    await card.getByRole('button', { name: 'Excluir' }).click()
    const dialog = page.getByRole('alertdialog')
    await dialog.getByText('Excluir WhatsApp Centro?').waitFor()
    await dialog.getByRole('button', { name: 'Cancelar' }).click()
    await dialog.waitFor({ state: 'detached' })
    assert.equal((await db.from('inboxes').count('* as n'))[0].n, '1')
    await card.getByRole('button', { name: 'Excluir' }).click()
    await page.getByTestId('confirm-accept').click()
    await page.assertTextContains('[data-testid="empty-state"]', 'Nenhuma caixa de entrada ainda')
    assert.equal((await db.from('inboxes').count('* as n'))[0].n, '0')
  })

  test('in English the page and the generated form read in English (the texts of the plugin itself)', async ({ visit, assert }) => {
    const admin = await createMember(null, 'admin')
    await db.from('users').where('id', admin.user.id).update({ locale: 'en' })
    const page = await signIn(visit, admin.user.email)
    await page.getByRole('link', { name: 'Admin', exact: true }).click()
    await page.assertTextContains('h1', 'Inboxes')
    await page.getByRole('button', { name: 'Add inbox' }).first().click()
    await page.getByTestId('plugin-evolution').click()
    const form = page.getByTestId('inbox-form')
    await form.getByLabel('Inbox name').fill('Central')
    await form.getByLabel('Evolution API address').fill(evolution.baseUrl)
    await form.getByLabel('API key').fill(evolution.apiKey)
    await form.getByLabel('Instance name').fill(evolution.instance)
    await page.assertTextContains('[data-testid="inbox-form"]', 'The global key (AUTHENTICATION_API_KEY) or the instance token.')
    await clickForToast(page, form.getByRole('button', { name: 'Create inbox' }), 'Inbox created.')
    await page.assertTextContains('[data-testid="inbox-created"]', 'registered on the provider automatically')
    await page.getByTestId('pairing-code').waitFor()
    assert.notInclude(await page.content(), evolution.apiKey)
  })
})
