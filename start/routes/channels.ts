/* Inboxes, the plugin catalogue, messages and media, and the webhook ingress (the channel plugins' part of the API). */
import router from '@adonisjs/core/services/router'
import { tenantRoutes } from '#start/routes/groups'

const InboxesController = () => import('#controllers/inboxes_controller')
const PluginsController = () => import('#controllers/plugins_controller')
const MessagesController = () => import('#controllers/messages_controller')
const WebhooksController = () => import('#controllers/webhooks_controller')

tenantRoutes(() => {
  router.get('/plugins', [PluginsController, 'index'])

  router.get('/inboxes', [InboxesController, 'index'])
  router.post('/inboxes', [InboxesController, 'store'])
  router
    .group(() => {
      router.get('/', [InboxesController, 'show'])
      router.patch('/', [InboxesController, 'update'])
      router.delete('/', [InboxesController, 'destroy'])
      router.post('/test', [InboxesController, 'test'])
      router.post('/connect', [InboxesController, 'connect'])
      router.post('/webhook', [InboxesController, 'registerWebhook'])
    })
    .prefix('/inboxes/:id')
    .where('id', router.matchers.number())

  router
    .group(() => {
      router.get('/', [MessagesController, 'index'])
      router.post('/', [MessagesController, 'store'])
      router.post('/:messageId/react', [MessagesController, 'react']).where('messageId', router.matchers.number())
      router.delete('/:messageId', [MessagesController, 'destroy']).where('messageId', router.matchers.number())
    })
    .prefix('/conversations/:id/messages')
    .where('id', router.matchers.number())
  router.post('/messages/:messageId/retry', [MessagesController, 'retry']).where('messageId', router.matchers.number())

  router.post('/uploads', [MessagesController, 'upload'])
  router.get('/attachments/:id', [MessagesController, 'attachment']).where('id', router.matchers.number())
})

router.post('/webhooks/:pluginId/:webhookKey', [WebhooksController, 'handle']).as('webhooks.receive')
router.post('/webhooks/:pluginId/:webhookKey/*', [WebhooksController, 'handle']).as('webhooks.receive_event')
