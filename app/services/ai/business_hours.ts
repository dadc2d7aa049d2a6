import { DateTime } from 'luxon'
import type { BusinessHours, Weekday } from '#models/provider'

const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
const DAY_NAMES: Record<'pt-BR' | 'en', Record<Weekday, string>> = {
  'pt-BR': { mon: 'Segunda', tue: 'Terça', wed: 'Quarta', thu: 'Quinta', fri: 'Sexta', sat: 'Sábado', sun: 'Domingo' },
  'en': { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' },
}

function weekdayOf(date: DateTime): Weekday {
  return WEEKDAYS[date.weekday - 1]
}

function at(date: DateTime, hhmm: string) {
  const [hour, minute] = hhmm.split(':').map(Number)
  return date.set({ hour, minute, second: 0, millisecond: 0 })
}

/** No hours configured means "always open": the AI never tells customers to wait for nobody. */
function hasHours(hours: BusinessHours) {
  return WEEKDAYS.some((day) => (hours[day] ?? []).length > 0)
}

export function isOpen(hours: BusinessHours, timezone: string, now: Date = new Date()): boolean {
  if (!hasHours(hours)) return true
  const local = DateTime.fromJSDate(now, { zone: timezone })
  return (hours[weekdayOf(local)] ?? []).some(
    (slot) => local >= at(local, slot.from) && local < at(local, slot.to)
  )
}

/** When people are next available, in the provider's timezone; null when always open or never. */
export function nextOpening(hours: BusinessHours, timezone: string, now: Date = new Date()): DateTime | null {
  if (!hasHours(hours)) return null
  const local = DateTime.fromJSDate(now, { zone: timezone })
  for (let offset = 0; offset <= 7; offset++) {
    const day = local.plus({ days: offset }).startOf('day')
    const starts = (hours[weekdayOf(day)] ?? []).map((slot) => at(day, slot.from)).sort((a, b) => a.toMillis() - b.toMillis())
    const next = starts.find((start) => start > local)
    if (next) return next
  }
  return null
}

/** "Segunda: 08:00 às 12:00, 14:00 às 18:00" lines for the system prompt. */
export function describeHours(hours: BusinessHours, locale: 'pt-BR' | 'en' = 'pt-BR'): string {
  if (!hasHours(hours)) return locale === 'en' ? 'Always open' : 'Atendimento 24 horas'
  const joiner = locale === 'en' ? ' to ' : ' às '
  const closed = locale === 'en' ? 'Closed' : 'Fechado'
  return WEEKDAYS.map((day) => {
    const slots = hours[day] ?? []
    const text = slots.length ? slots.map((slot) => `${slot.from}${joiner}${slot.to}`).join(', ') : closed
    return `${DAY_NAMES[locale][day]}: ${text}`
  }).join('\n')
}

/** "Bom dia" from 5h to 12h, "Boa tarde" to 18h, else "Boa noite", in the provider's timezone. */
export function greetingFor(timezone: string, locale: 'pt-BR' | 'en' = 'pt-BR', now: Date = new Date()) {
  const hour = DateTime.fromJSDate(now, { zone: timezone }).hour
  if (locale === 'en') return hour >= 5 && hour < 12 ? 'Good morning' : hour >= 12 && hour < 18 ? 'Good afternoon' : 'Good evening'
  return hour >= 5 && hour < 12 ? 'Bom dia' : hour >= 12 && hour < 18 ? 'Boa tarde' : 'Boa noite'
}

export function describeOpening(opening: DateTime, locale: 'pt-BR' | 'en' = 'pt-BR', now: Date = new Date()) {
  const local = DateTime.fromJSDate(now, { zone: opening.zoneName ?? 'UTC' })
  const time = opening.toFormat('HH:mm')
  const days = Math.round(opening.startOf('day').diff(local.startOf('day'), 'days').days)
  if (locale === 'en') {
    if (days === 0) return `today at ${time}`
    if (days === 1) return `tomorrow at ${time}`
    return `${DAY_NAMES.en[weekdayOf(opening)]} at ${time}`
  }
  if (days === 0) return `hoje às ${time}`
  if (days === 1) return `amanhã às ${time}`
  return `${DAY_NAMES['pt-BR'][weekdayOf(opening)].toLowerCase()} às ${time}`
}
