import vine from '@vinejs/vine'
import { paginationSchema } from '#services/pagination'
import { id } from '#validators/workflow_rules'

export const createMessageValidator = vine.create({
  content: vine.string().trim().minLength(1).maxLength(65_536).optional(),
  private: vine.boolean().optional(),
  replyTo: id().optional(),
  attachments: vine.array(id()).minLength(1).maxLength(10).distinct().optional(),
  /** Send this canned response's text (when `content` is left out). */
  cannedResponseId: id().optional(),
})

/** `POST …/messages/:messageId/react {emoji}`; `null` or "" takes the reaction back. */
export const reactValidator = vine.create({
  emoji: vine.string().trim().maxLength(32).nullable(),
})

export const listMessagesValidator = vine.create({ ...paginationSchema })

export const mediaVariantValidator = vine.create({
  variant: vine.enum(['original', 'playback'] as const).optional(),
})

export const uploadValidator = vine.create({
  file: vine.file({ size: '64mb' }),
  voice: vine.boolean().optional(),
})
