import vine from '@vinejs/vine'
import { CONVERSATION_STATUSES, PRIORITIES } from '#models/conversation'
import { paginationSchema } from '#services/pagination'
import { id, isoDateTime } from '#validators/workflow_rules'

/** `GET …/conversations`: `status` may list several (`pending,open`). */
export const listConversationsValidator = vine.create({
  status: vine
    .array(vine.enum(CONVERSATION_STATUSES))
    .minLength(1)
    .parse((value) => (typeof value === 'string' ? value.split(',') : value))
    .optional(),
  assignee: vine
    .string()
    .trim()
    .regex(/^(me|none|[1-9]\d{0,9})$/)
    .transform((value) => (value === 'me' || value === 'none' ? value : Number(value)))
    .optional(),
  team: vine
    .string()
    .trim()
    .regex(/^(none|[1-9]\d{0,9})$/)
    .transform((value) => (value === 'none' ? value : Number(value)))
    .optional(),
  inbox: id().optional(),
  /** A contact's conversations (the contact panel's history). */
  contact: id().optional(),
  label: vine.string().trim().minLength(1).maxLength(40).optional(),
  q: vine.string().trim().minLength(1).maxLength(100).optional(),
  snoozed: vine.boolean().optional(),
  ...paginationSchema,
})

export const assignValidator = vine.create({ agentId: id() })

/** One target: a team, an agent, or the AI (the controller checks there is exactly one). */
export const transferValidator = vine.create({
  teamId: id().optional(),
  agentId: id().optional(),
  to: vine.enum(['bot'] as const).optional(),
})

export const resolveValidator = vine.create({
  reason: vine.string().trim().maxLength(500).nullable().optional(),
})

export const snoozeValidator = vine.create({
  until: isoDateTime().nullable(),
})

export const labelsValidator = vine.create({
  labels: vine
    .array(
      vine
        .string()
        .trim()
        .minLength(1)
        .maxLength(40)
        .regex(/^[\p{L}\p{N}_ .:-]+$/u)
    )
    .maxLength(20),
})

export const typingValidator = vine.create({ on: vine.boolean() })

export const priorityValidator = vine.create({ priority: vine.enum(PRIORITIES) })

/** `POST …/conversations`: write first, to a contact or a phone number, on an inbox. */
export const startConversationValidator = vine.create({
  inboxId: id(),
  contactId: id().optional().requiredIfMissing('phone'),
  phone: vine.string().trim().maxLength(30).optional(),
  content: vine.string().trim().minLength(1).maxLength(65_536),
})
