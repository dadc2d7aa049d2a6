import factory from '@adonisjs/lucid/factories'
import User from '#models/user'

export const DEFAULT_TEST_PASSWORD = 'correct-horse-battery'

export const UserFactory = factory
  .define(User, ({ faker }) => ({
    name: faker.person.fullName(),
    email: faker.internet.email().toLowerCase(),
    password: DEFAULT_TEST_PASSWORD,
    isSuperadmin: false,
    locale: 'pt-BR',
    theme: 'system',
    notificationSound: true,
  }))
  .state('superadmin', (user) => {
    user.isSuperadmin = true
  })
  .build()
