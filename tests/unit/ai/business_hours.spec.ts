import { test } from '@japa/runner'
import { describeHours, describeOpening, greetingFor, isOpen, nextOpening } from '#services/ai/business_hours'

const hours = {
  mon: [{ from: '08:00', to: '12:00' }, { from: '14:00', to: '18:00' }],
  tue: [{ from: '08:00', to: '18:00' }],
  wed: [{ from: '08:00', to: '18:00' }],
  thu: [{ from: '08:00', to: '18:00' }],
  fri: [{ from: '08:00', to: '18:00' }],
  sat: [{ from: '08:00', to: '12:00' }],
  sun: [],
}
const tz = 'America/Sao_Paulo' // UTC-3, no DST

test.group('Business hours', () => {
  test('open and closed in the provider\'s timezone', ({ assert }) => {
    assert.isTrue(isOpen(hours, tz, new Date('2026-11-23T13:00:00Z'))) // Monday 10:00 local
    assert.isFalse(isOpen(hours, tz, new Date('2026-11-23T15:30:00Z'))) // Monday 12:30 local (lunch)
    assert.isFalse(isOpen(hours, tz, new Date('2026-11-23T10:30:00Z'))) // Monday 07:30 local
    assert.isFalse(isOpen(hours, tz, new Date('2026-11-22T13:00:00Z'))) // Sunday
  })

  test('no hours configured means always open', ({ assert }) => {
    assert.isTrue(isOpen({}, tz, new Date('2026-11-22T03:00:00Z')))
    assert.isNull(nextOpening({}, tz))
  })

  test('when people are back', ({ assert }) => {
    const lunch = new Date('2026-11-23T15:30:00Z') // Monday 12:30
    assert.equal(nextOpening(hours, tz, lunch)!.toISO(), '2026-11-23T14:00:00.000-03:00')
    const saturdayNight = new Date('2026-11-29T00:30:00Z') // Saturday 21:30 local
    const back = nextOpening(hours, tz, saturdayNight)!
    assert.equal(back.toISO(), '2026-11-30T08:00:00.000-03:00') // Monday, Sunday is closed
    assert.equal(describeOpening(back, 'pt-BR', saturdayNight), 'segunda às 08:00')
    assert.equal(describeOpening(nextOpening(hours, tz, lunch)!, 'pt-BR', lunch), 'hoje às 14:00')
  })

  test('greeting by local clock and a readable schedule', ({ assert }) => {
    assert.equal(greetingFor(tz, 'pt-BR', new Date('2026-11-23T11:00:00Z')), 'Bom dia') // 08:00
    assert.equal(greetingFor(tz, 'pt-BR', new Date('2026-11-23T16:00:00Z')), 'Boa tarde') // 13:00
    assert.equal(greetingFor(tz, 'pt-BR', new Date('2026-11-23T23:00:00Z')), 'Boa noite') // 20:00
    assert.include(describeHours(hours), 'Segunda: 08:00 às 12:00, 14:00 às 18:00')
    assert.include(describeHours(hours), 'Domingo: Fechado')
  })
})
