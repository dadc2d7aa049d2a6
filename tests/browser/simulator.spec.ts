import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { createMember } from '#tests/helpers/tenancy'
import { startTestWorkers, stopTestWorkers } from '#tests/helpers/workers'
import { signIn } from '#tests/browser/support'

const SHOTS = 'tests/browser/screenshots'

test.group('Customer simulator page', (group) => {
  group.setup(async () => {
    await startTestWorkers()
    return () => stopTestWorkers()
  })
  group.each.setup(() => testUtils.db().truncate())

  test('an admin creates the simulator inbox, writes as a customer and sees the agent\'s answer arrive', async ({ visit, client, assert }) => {
    const admin = await createMember(null, 'admin')
    const page = await signIn(visit, admin)

    await page.getByRole('link', { name: 'Simulador' }).click()
    await page.assertTextContains('h1', 'Simulador de cliente')
    await page.getByRole('button', { name: 'Criar caixa do simulador' }).click()
    await page.getByLabel('Seu nome como cliente').fill('Cliente Navegador')
    await page.getByLabel('Mensagem').fill('Oi, minha internet caiu')
    await page.getByLabel('Mensagem').press('Enter')
    await page.locator('[data-direction="in"]', { hasText: 'Oi, minha internet caiu' }).waitFor()

    // The agent answers from the inbox (through the API here): the customer's page shows it.
    const base = `/api/v1/providers/${admin.provider.id}`
    const list = await client.get(`${base}/conversations`).header('authorization', admin.token)
    const conversation = list.body().data.find((row: any) => row.contact?.name === 'Cliente Navegador')
    assert.exists(conversation)
    ;(await client.post(`${base}/conversations/${conversation.id}/messages`).header('authorization', admin.token).json({ content: 'Olá! Vou verificar sua conexão.' })).assertStatus(201)
    await page.locator('[data-direction="out"]', { hasText: 'Olá! Vou verificar sua conexão.' }).waitFor({ timeout: 15_000 })
    await page.screenshot({ path: `${SHOTS}/simulator-desktop.png` })

    await page.setViewportSize({ width: 390, height: 844 })
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')
    assert.isAtMost(overflow, 0)
    await page.screenshot({ path: `${SHOTS}/simulator-phone.png` })
  })

  test('agents do not get the simulator in the menu and the page tells them why', async ({ visit }) => {
    const agent = await createMember(null, 'agent')
    const page = await signIn(visit, agent)
    await page.assertNotExists('a[href="/simulator"]')
    await page.goto('/simulator')
    await page.assertTextContains('main', 'Só administradores do provedor usam o simulador.')
  })
})
