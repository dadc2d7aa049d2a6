import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { DEFAULT_TEST_PASSWORD } from '#database/factories/user_factory'
import { createMember } from '#tests/helpers/tenancy'

const SHOTS = 'tests/browser/screenshots'
const sizes = { desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } }

test.group('Sign in through the real page', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('an agent signs in and sees the inbox shell, in pt-BR', async ({ visit, assert }) => {
    const { user, provider } = await createMember(null, 'agent')
    const page = await visit('/login')
    await page.setViewportSize(sizes.desktop)
    await page.assertTextContains('h1', 'Entrar no NioChat')
    await page.screenshot({ path: `${SHOTS}/login-desktop.png` })

    await page.getByLabel('E-mail').fill(user.email)
    await page.getByLabel('Senha').fill(DEFAULT_TEST_PASSWORD)
    await page.getByRole('button', { name: 'Entrar' }).click()

    await page.waitForURL((url) => url.pathname === '/')
    await page.assertTextContains('[data-testid="user-name"]', user.name)
    await page.assertTextContains('[data-testid="provider-name"]', provider.name)
    await page.assertTextContains('[data-testid="inbox-empty"]', 'Nenhuma conversa ainda')
    await page.assertTextContains('[role="tablist"]', 'Minhas')
    await page.screenshot({ path: `${SHOTS}/inbox-empty-desktop.png` })

    await page.setViewportSize(sizes.phone)
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')
    assert.isAtMost(overflow, 0)
    await page.screenshot({ path: `${SHOTS}/inbox-empty-phone.png` })
  })

  test('a wrong password shows the error on the form', async ({ visit }) => {
    const { user } = await createMember(null, 'agent')
    const page = await visit('/login')
    await page.getByLabel('E-mail').fill(user.email)
    await page.getByLabel('Senha').fill('wrong-password')
    await page.getByRole('button', { name: 'Entrar' }).click()
    await page.assertTextContains('[role="alert"]', 'E-mail ou senha incorretos.')
    await page.setViewportSize(sizes.phone)
    await page.screenshot({ path: `${SHOTS}/login-error-phone.png` })
  })

  test('switching the profile language to English translates the app', async ({ visit }) => {
    const { user } = await createMember(null, 'agent')
    const page = await visit('/login')
    await page.getByLabel('E-mail').fill(user.email)
    await page.getByLabel('Senha').fill(DEFAULT_TEST_PASSWORD)
    await page.getByRole('button', { name: 'Entrar' }).click()
    await page.waitForURL((url) => url.pathname === '/')
    await page.getByRole('link', { name: 'Perfil' }).click()
    await page.getByLabel('Idioma').selectOption('en')
    await page.getByRole('button', { name: 'Salvar' }).click()
    await page.assertTextContains('h1', 'My profile')
    await page.getByRole('link', { name: 'Conversations' }).click()
    await page.assertTextContains('[data-testid="inbox-empty"]', 'No conversations yet')
  })
})
