import vine from '@vinejs/vine'
import { paginationSchema } from '#services/pagination'
import { id } from '#validators/workflow_rules'

/** The plugin's own fields are checked against its config schema by the plugin config service. */
const config = () => vine.record(vine.any())

export const createInboxValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(120),
  plugin: vine.string().trim().regex(/^[a-z][a-z0-9-]{0,63}$/),
  config: config(),
  enableGroups: vine.boolean().optional(),
  defaultTeamId: id().nullable().optional(),
})

export const updateInboxValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(120).optional(),
  config: config().optional(),
  enableGroups: vine.boolean().optional(),
  defaultTeamId: id().nullable().optional(),
})

export const listInboxesValidator = vine.create({ ...paginationSchema })

export const listPluginsValidator = vine.create({
  kind: vine.enum(['channel', 'ai', 'isp'] as const).optional(),
})
