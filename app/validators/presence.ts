import vine from '@vinejs/vine'
import { PRESENCE_STATUSES } from '#services/presence_service'

export const heartbeatValidator = vine.create({ status: vine.enum(PRESENCE_STATUSES) })
