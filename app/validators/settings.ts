import vine from '@vinejs/vine'

const teamId = () => vine.number().withoutDecimals().positive().nullable().optional()

export const handoverSettingsValidator = vine.create({
  teams: vine
    .object({ technical: teamId(), financial: teamId(), sales: teamId(), general: teamId() })
    .optional(),
  defaultTeamId: teamId(),
})
