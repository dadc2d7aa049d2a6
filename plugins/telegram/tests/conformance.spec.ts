import { channelConformance } from '#tests/helpers/conformance/channel_conformance'
import { FakeTelegram } from '#tests/helpers/fakes/telegram_server'
import { TINY_PNG } from '#tests/helpers/fakes/evolution_server'

let current: FakeTelegram
/** The kit names messages with strings; Telegram's message_id is a number. */
const ids = new Map<string, number>()
const messageIdOf = (id: string) => ids.get(id) ?? (ids.set(id, 9000 + ids.size), ids.get(id)!)
const userIdOf = (phone: string) => Number(phone.slice(-9))

channelConformance({
  pluginId: 'telegram',
  // Bots do not get their own messages back, nor delivery/read receipts.
  echoes: false,
  statuses: false,
  // Telegram re-sends anything answered with a non-2xx.
  malformedStatuses: [200],
  webhookHeaders: () => ({ 'x-telegram-bot-api-secret-token': current.webhook?.secretToken ?? 'not-registered' }),
  fake: () => {
    current = new FakeTelegram()
    const fake = current
    return {
      start: () => fake.start(),
      close: () => fake.close(),
      config: () => fake.config(),
      sendCount: () => fake.sends().length,
      onSend: () => {},
      text: ({ id, phone, text, at }) => fake.text({ messageId: messageIdOf(id), userId: userIdOf(phone), text, date: at }),
      image: ({ id, phone }) => fake.photo({ messageId: messageIdOf(id), userId: userIdOf(phone) }),
      imageBytes: TINY_PNG,
      unknownEvent: () => ({ update_id: 1, my_chat_member: { chat: { id: 1, type: 'private' }, new_chat_member: { status: 'kicked' } } }),
      // (A body that is not a JSON object is refused by the body parser before any plugin: Telegram never sends one.)
      malformed: () => [{}, { update_id: 'x' }, { update_id: 2, message: { text: 'no chat' } }, { update_id: 3, message: { message_id: 1, chat: { id: 5, type: 'private' }, text: 'no sender' } }],
    }
  },
})
