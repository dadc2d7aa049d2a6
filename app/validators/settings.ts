import vine from '@vinejs/vine'

const teamId = () => vine.number().withoutDecimals().positive().nullable().optional()

export const handoverSettingsValidator = vine.create({
  teams: vine
    .object({ technical: teamId(), financial: teamId(), sales: teamId(), general: teamId() })
    .optional(),
  defaultTeamId: teamId(),
})

const persona = () =>
  vine
    .object({
      agentName: vine.string().trim().maxLength(60).optional(),
      style: vine.string().trim().maxLength(500).optional(),
      emojiUse: vine.enum(['none', 'low', 'medium', 'high']).optional(),
      greeting: vine.string().trim().maxLength(500).optional(),
      instructions: vine.string().trim().maxLength(4000).optional(),
    })
    .optional()

export const aiSettingsValidator = vine.create({
  enabled: vine.boolean().optional(),
  plugin: vine.string().trim().maxLength(64).optional(),
  config: vine.record(vine.any()).optional(),
  persona: persona(),
  debounceSeconds: vine.number().min(0).max(60).optional(),
  maxToolRounds: vine.number().withoutDecimals().range([1, 10]).optional(),
  temperature: vine.number().min(0).max(2).optional(),
})

export const ispSettingsValidator = vine.create({
  enabled: vine.boolean().optional(),
  plugin: vine.string().trim().maxLength(64).nullable().optional(),
  config: vine.record(vine.any()).optional(),
})
