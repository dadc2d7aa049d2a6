import db from '@adonisjs/lucid/services/db'
import ApiError from '#exceptions/api_error'
import ProviderSetting from '#models/provider_setting'
import Team from '#models/team'
import { HANDOVER_REASONS, type HandoverReason } from '#models/conversation'
import audit from '#services/audit_service'

export interface HandoverSettings {
  /** Which team receives each reason; null falls back to the default team. */
  teams: Record<HandoverReason, number | null>
  defaultTeamId: number | null
}

export interface Actor {
  userId: number
  ip?: string | null
}

const EMPTY: HandoverSettings = {
  teams: { technical: null, financial: null, sales: null, general: null },
  defaultTeamId: null,
}

/** Where the AI sends a conversation it hands over: reason → team, with a default team. */
export class HandoverSettingsService {
  async get(providerId: number): Promise<HandoverSettings> {
    const row = await ProviderSetting.query().where({ providerId, kind: 'handover' }).first()
    const stored = (row?.settings ?? {}) as Partial<HandoverSettings>
    return { teams: { ...EMPTY.teams, ...(stored.teams ?? {}) }, defaultTeamId: stored.defaultTeamId ?? null }
  }

  async update(actor: Actor, providerId: number, input: Partial<HandoverSettings>) {
    const current = await this.get(providerId)
    const next: HandoverSettings = {
      teams: { ...current.teams, ...(input.teams ?? {}) },
      defaultTeamId: input.defaultTeamId === undefined ? current.defaultTeamId : input.defaultTeamId,
    }
    await this.#assertTeamsOwned(providerId, next)
    await db.transaction(async (trx) => {
      await ProviderSetting.updateOrCreate(
        { providerId, kind: 'handover' },
        { providerId, kind: 'handover', enabled: true, settings: next as unknown as Record<string, unknown> },
        { client: trx }
      )
      await audit.record(
        { providerId, userId: actor.userId, action: 'settings.handover.updated', targetType: 'settings', targetId: 'handover', before: current as any, after: next as any, ip: actor.ip },
        trx
      )
    })
    return next
  }

  /** The team for a hand-over reason: the mapped one, else the default, else none (any agent). */
  async teamFor(providerId: number, reason: HandoverReason): Promise<number | null> {
    const settings = await this.get(providerId)
    return settings.teams[reason] ?? settings.defaultTeamId
  }

  async #assertTeamsOwned(providerId: number, settings: HandoverSettings) {
    const ids = [...Object.values(settings.teams), settings.defaultTeamId].filter((id): id is number => id !== null)
    if (!ids.length) return
    const owned = await Team.query().where('provider_id', providerId).whereIn('id', ids).select('id')
    const ownedIds = new Set(owned.map((team) => team.id))
    for (const reason of HANDOVER_REASONS) {
      const id = settings.teams[reason]
      if (id !== null && !ownedIds.has(id)) throw new ApiError(422, 'The team does not exist', `teams.${reason}`, 'exists')
    }
    if (settings.defaultTeamId !== null && !ownedIds.has(settings.defaultTeamId)) {
      throw new ApiError(422, 'The team does not exist', 'defaultTeamId', 'exists')
    }
  }
}

const handoverSettings = new HandoverSettingsService()
export default handoverSettings
