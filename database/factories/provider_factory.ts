import factory from '@adonisjs/lucid/factories'
import Provider from '#models/provider'

export const ProviderFactory = factory
  .define(Provider, ({ faker }) => ({
    name: `${faker.company.name()} Fibra`,
    timezone: 'America/Sao_Paulo',
    locale: 'pt-BR',
    businessHours: {
      mon: [{ from: '08:00', to: '18:00' }],
      tue: [{ from: '08:00', to: '18:00' }],
      wed: [{ from: '08:00', to: '18:00' }],
      thu: [{ from: '08:00', to: '18:00' }],
      fri: [{ from: '08:00', to: '18:00' }],
      sat: [{ from: '08:00', to: '12:00' }],
      sun: [],
    },
    plans: [],
    fees: [],
    documents: [],
    persona: {},
    settings: {},
  }))
  .build()
