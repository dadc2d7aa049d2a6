import { channelConformance } from '#tests/helpers/conformance/channel_conformance'
import { FakeUazapi } from '#tests/helpers/fakes/uazapi_server'
import { TINY_PNG } from '#tests/helpers/fakes/evolution_server'

channelConformance({
  pluginId: 'uazapi',
  fake: () => {
    const uazapi = new FakeUazapi()
    return {
      start: () => uazapi.start(),
      close: () => uazapi.close(),
      config: () => uazapi.config(),
      sendCount: () => uazapi.sends().length,
      onSend: (hook) => (uazapi.beforeSendAnswer = hook),
      text: ({ id, phone, lid, text, at }) => uazapi.text({ id, phone, lid: lid ?? null, text, at: at ? at * 1000 : undefined }),
      lidOnlyText: ({ id, lid, text }) => uazapi.lidText({ id, lid, text }),
      image: ({ id }) => uazapi.image({ id }),
      imageBytes: TINY_PNG,
      readAck: (externalId) => uazapi.ack(externalId, 'Read'),
      echo: (externalId, text, ourId) => {
        const body = uazapi.sendEcho(externalId, text, String(ourId))
        body.message.chatid = '5511988887777@s.whatsapp.net'
        return body
      },
      unknownEvent: () => ({ EventType: 'presence', owner: '5511999990000', token: uazapi.token, event: {} }),
      malformed: () => [
        'not an object',
        { owner: '5511999990000' },
        { EventType: 'messages', token: uazapi.token },
        { EventType: 'messages', token: uazapi.token, message: { text: 'no id', chatid: '5511@s.whatsapp.net' } },
        { EventType: 'messages_update', token: uazapi.token, event: { MessageIDs: [] } },
      ],
    }
  },
})
