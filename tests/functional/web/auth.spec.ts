import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import mail from '@adonisjs/mail/services/main'
import env from '#start/env'
import User from '#models/user'
import { DEFAULT_TEST_PASSWORD } from '#database/factories/user_factory'
import { createMember, suspend } from '#tests/helpers/tenancy'

test.group('Web sign-in', (group) => {
  group.each.setup(() => testUtils.db().truncate())

  test('the login page renders in pt-BR by default and in English when the browser asks', async ({ client }) => {
    const page = await client.get('/login').withInertia()
    page.assertStatus(200)
    page.assertInertiaComponent('auth/login')
    page.assertInertiaPropsContains({ locale: 'pt-BR', user: null })
    const english = await client.get('/login').header('accept-language', 'en-US,en;q=0.9').withInertia()
    english.assertInertiaPropsContains({ locale: 'en' })
  })

  test('signing in opens a session that reaches the app and the API; signing out ends it', async ({ client, assert }) => {
    const { user, provider } = await createMember(null, 'agent')
    const login = await client.post('/login').form({ email: user.email, password: DEFAULT_TEST_PASSWORD }).withCsrfToken().redirects(0)
    login.assertStatus(302)
    login.assertHeader('location', '/')

    const home = await client.get('/').loginAs(user).withInertia()
    home.assertInertiaComponent('inbox')
    home.assertInertiaPropsContains({ currentProviderId: provider.id })
    assert.notProperty(home.body().props?.user ?? {}, 'password')

    ;(await client.get(`/api/v1/providers/${provider.id}/members`).loginAs(user)).assertStatus(200)
    const logout = await client.post('/logout').loginAs(user).withCsrfToken().redirects(0)
    logout.assertHeader('location', '/login')
  })

  test('the app needs a session: anonymous visitors are sent to /login', async ({ client }) => {
    const response = await client.get('/').redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/login')
  })

  test('a wrong password comes back to the form with a message; nothing signs in', async ({ client }) => {
    const { user } = await createMember(null, 'agent')
    const response = await client
      .post('/login')
      .form({ email: user.email, password: 'wrong-password' })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('error', 'auth.invalidCredentials')
  })

  test('malformed input is refused with field errors and signs nobody in', async ({ client }) => {
    const response = await client.post('/login').form({ email: 'nope' }).withCsrfToken().redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('inputErrorsBag', { email: ['The email field must be a valid email address'], password: ['The password field must be defined'] })
  })

  test('members of a suspended provider cannot sign in', async ({ client }) => {
    const { user, provider } = await createMember(null, 'admin')
    await suspend(provider)
    const response = await client.post('/login').form({ email: user.email, password: DEFAULT_TEST_PASSWORD }).withCsrfToken().redirects(0)
    response.assertFlashMessage('error', 'auth.suspended')
  })

  test('the login form is protected by CSRF', async ({ client }) => {
    const { user } = await createMember(null, 'agent')
    const response = await client.post('/login').form({ email: user.email, password: DEFAULT_TEST_PASSWORD }).redirects(0)
    response.assertStatus(302)
    // Without the token Shield sends the request back to the form instead of signing in.
    response.assertFlashMessage('errorsBag' as any, { E_BAD_CSRF_TOKEN: 'Invalid or expired CSRF token' } as any)
  })
})

test.group('Web password reset and profile', (group) => {
  group.each.setup(() => testUtils.db().truncate())
  group.each.setup(() => {
    env.set('SMTP_HOST', '127.0.0.1')
    return () => env.set('SMTP_HOST', '')
  })

  test('forgot password → e-mail with a single-use link → new password works, old one and API tokens do not', async ({ client, assert, cleanup }) => {
    const { user, token } = await createMember(null, 'agent')
    const { messages } = mail.fake()
    cleanup(() => mail.restore())

    const asked = await client.post('/forgot-password').form({ email: user.email.toUpperCase() }).withCsrfToken().redirects(0)
    asked.assertFlashMessage('success', 'auth.resetSent')
    const sent = messages.sent()
    assert.lengthOf(sent, 1)
    sent[0].assertTo(user.email)
    const link = String(sent[0].toJSON().message.text).match(/\/reset-password\/([\w-]+)/)!
    const resetToken = link[1]

    ;(await client.get(`/reset-password/${resetToken}`).withInertia()).assertInertiaPropsContains({ usable: true })
    const reset = await client
      .post(`/reset-password/${resetToken}`)
      .form({ password: 'brand-new-pass', passwordConfirmation: 'brand-new-pass' })
      .withCsrfToken()
      .redirects(0)
    reset.assertHeader('location', '/login')

    ;(await client.post('/api/v1/auth/tokens').json({ email: user.email, password: 'brand-new-pass' })).assertStatus(200)
    ;(await client.post('/api/v1/auth/tokens').json({ email: user.email, password: DEFAULT_TEST_PASSWORD })).assertStatus(401)
    ;(await client.get('/api/v1/me').header('authorization', token)).assertStatus(401)
    ;(await client.get(`/reset-password/${resetToken}`).withInertia()).assertInertiaPropsContains({ usable: false })
  })

  test('an unknown e-mail gets the same answer and no mail', async ({ client, assert, cleanup }) => {
    const { messages } = mail.fake()
    cleanup(() => mail.restore())
    const asked = await client.post('/forgot-password').form({ email: 'nobody@example.com' }).withCsrfToken().redirects(0)
    asked.assertFlashMessage('success', 'auth.resetSent')
    assert.lengthOf(messages.sent(), 0)
  })

  test('profile: name, language, theme and sound are saved; bad values are refused', async ({ client, assert }) => {
    const { user } = await createMember(null, 'agent')
    const saved = await client
      .put('/profile')
      .loginAs(user)
      .form({ name: 'Ana Souza', locale: 'en', theme: 'dark', notificationSound: 'false' })
      .withCsrfToken()
      .redirects(0)
    saved.assertFlashMessage('success', 'profile.saved')
    await user.refresh()
    assert.deepInclude(user.serialize(), { name: 'Ana Souza', locale: 'en', theme: 'dark', notificationSound: false })

    const refused = await client.put('/profile').loginAs(user).form({ name: '', locale: 'fr', theme: 'neon' }).withCsrfToken().redirects(0)
    refused.assertStatus(302)
    await user.refresh()
    assert.equal(user.name, 'Ana Souza')
  })

  test('changing my password needs the current one', async ({ client, assert }) => {
    const { user } = await createMember(null, 'agent')
    const wrong = await client
      .put('/profile/password')
      .loginAs(user)
      .form({ currentPassword: 'not-it', password: 'another-pass-1', passwordConfirmation: 'another-pass-1' })
      .withCsrfToken()
      .redirects(0)
    wrong.assertFlashMessage('error', 'profile.wrongPassword')
    const right = await client
      .put('/profile/password')
      .loginAs(user)
      .form({ currentPassword: DEFAULT_TEST_PASSWORD, password: 'another-pass-1', passwordConfirmation: 'another-pass-1' })
      .withCsrfToken()
      .redirects(0)
    right.assertFlashMessage('success', 'profile.passwordChanged')
    await User.verifyCredentials(user.email, 'another-pass-1')
    assert.isTrue(true)
  })
})
