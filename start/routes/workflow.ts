/*
 * The agent workflow behind the inbox: conversation lists and actions, teams, canned responses,
 * contacts, presence, staff chat, the audit log and the realtime catch-up.
 */
import router from '@adonisjs/core/services/router'
import { tenantRoutes } from '#start/routes/groups'

const ConversationSearchController = () => import('#controllers/conversation_search_controller')
const ConversationActionsController = () => import('#controllers/conversation_actions_controller')
const TeamsController = () => import('#controllers/teams_controller')
const CannedResponsesController = () => import('#controllers/canned_responses_controller')
const ContactsController = () => import('#controllers/contacts_controller')
const ConversationsController = () => import('#controllers/conversations_controller')
const AuditLogsController = () => import('#controllers/audit_logs_controller')
const EventsController = () => import('#controllers/events_controller')
const PresenceController = () => import('#controllers/presence_controller')
const StaffMessagesController = () => import('#controllers/staff_messages_controller')

tenantRoutes(() => {
  router.get('/conversations', [ConversationSearchController, 'index'])
  router.get('/conversations/counts', [ConversationSearchController, 'counts'])
  router.post('/conversations', [ConversationsController, 'store'])
  router
    .group(() => {
      router.get('/', [ConversationSearchController, 'show'])
      router.post('/take', [ConversationActionsController, 'take'])
      router.post('/assign', [ConversationActionsController, 'assign'])
      router.post('/transfer', [ConversationActionsController, 'transfer'])
      router.post('/resolve', [ConversationActionsController, 'resolve'])
      router.post('/reopen', [ConversationActionsController, 'reopen'])
      router.post('/snooze', [ConversationActionsController, 'snooze'])
      router.put('/labels', [ConversationActionsController, 'labels'])
      router.put('/priority', [ConversationActionsController, 'priority'])
      router.post('/read', [ConversationActionsController, 'read'])
      router.post('/typing', [ConversationActionsController, 'typing'])
    })
    .prefix('/conversations/:id')
    .where('id', router.matchers.number())

  router.get('/teams', [TeamsController, 'index'])
  router.post('/teams', [TeamsController, 'store'])
  router.get('/teams/:id', [TeamsController, 'show'])
  router.patch('/teams/:id', [TeamsController, 'update'])
  router.delete('/teams/:id', [TeamsController, 'destroy'])
  router.post('/teams/:id/members', [TeamsController, 'addMember'])
  router.delete('/teams/:id/members/:userId', [TeamsController, 'removeMember'])

  router.get('/canned-responses', [CannedResponsesController, 'index'])
  router.post('/canned-responses', [CannedResponsesController, 'store'])
  router.get('/canned-responses/:id', [CannedResponsesController, 'show'])
  router.patch('/canned-responses/:id', [CannedResponsesController, 'update'])
  router.delete('/canned-responses/:id', [CannedResponsesController, 'destroy'])

  router.get('/contacts', [ContactsController, 'index'])
  router.post('/contacts', [ContactsController, 'store'])
  router.get('/contacts/:id', [ContactsController, 'show'])
  router.patch('/contacts/:id', [ContactsController, 'update'])
  router.delete('/contacts/:id', [ContactsController, 'destroy'])
  router.post('/contacts/:id/merge', [ContactsController, 'merge'])
  router.get('/contacts/:id/isp', [ContactsController, 'isp'])

  router.get('/audit-logs', [AuditLogsController, 'index'])
  router.get('/audit-logs/export', [AuditLogsController, 'export'])

  router.get('/events', [EventsController, 'index'])

  router.get('/presence', [PresenceController, 'index'])
  router.post('/presence', [PresenceController, 'heartbeat'])

  router.get('/staff-messages', [StaffMessagesController, 'index'])
  router.post('/staff-messages', [StaffMessagesController, 'store'])
  router.get('/staff-messages/unread', [StaffMessagesController, 'unread'])
  router.post('/staff-messages/read', [StaffMessagesController, 'read'])
})
