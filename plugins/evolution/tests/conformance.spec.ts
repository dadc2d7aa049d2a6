import { channelConformance } from '#tests/helpers/conformance/channel_conformance'
import { FakeEvolution, TINY_PNG } from '#tests/helpers/fakes/evolution_server'

channelConformance({
  pluginId: 'evolution',
  fake: () => {
    const evolution = new FakeEvolution()
    return {
      start: () => evolution.start(),
      close: () => evolution.close(),
      config: () => evolution.config(),
      sendCount: () => evolution.sends().length,
      onSend: (hook) => (evolution.beforeSendAnswer = hook),
      text: ({ id, phone, lid, text, at }) => evolution.text({ id, phone, lid: lid ?? null, text, at }),
      lidOnlyText: ({ id, lid, text }) => evolution.lidText({ id, lid, text }),
      image: ({ id, phone }) => evolution.image({ id, phone }),
      imageBytes: TINY_PNG,
      readAck: (externalId) => evolution.ack(externalId, 'READ'),
      echo: (externalId, text) => evolution.sendEcho(externalId, text, '5511988887777'),
      unknownEvent: () => ({ ...evolution.connection(), event: 'labels.edit', data: { id: '1', name: 'VIP' } }),
      malformed: () => [
        'not an object',
        [],
        { instance: 'provedor-fibra', data: {} },
        { event: 'messages.upsert', instance: 'provedor-fibra', data: { message: { conversation: 'no key' } } },
        { event: 'messages.update', instance: 'provedor-fibra', data: { status: 'READ' } },
      ],
    }
  },
})
