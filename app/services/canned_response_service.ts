import db from '@adonisjs/lucid/services/db'
import ApiError from '#exceptions/api_error'
import CannedResponse from '#models/canned_response'
import audit from '#services/audit_service'
import { findOwned } from '#services/tenancy'
import { pageById } from '#services/pagination'
import type { AdminActor } from '#services/team_service'

/** Shortcut texts ("/boleto") that agents insert or send in a conversation. */
export class CannedResponseService {
  /** Ordered by shortcut; `q` matches the start of the shortcut or any part of the text. */
  async list(providerId: number, options: { q?: string; cursor?: string; limit?: number }) {
    const query = CannedResponse.query().where('provider_id', providerId)
    if (options.q) {
      const text = options.q.trim().replace(/^\//, '').replace(/[\\%_]/g, (c) => `\\${c}`)
      query.where((q) => q.whereILike('shortcut', `${text}%`).orWhereILike('content', `%${text}%`))
    }
    const result = await pageById<CannedResponse>(query as any, options)
    return { data: result.data, nextCursor: result.nextCursor }
  }

  async find(providerId: number, id: unknown) {
    return findOwned(CannedResponse, providerId, id, 'Canned response')
  }

  async create(actor: AdminActor, providerId: number, input: { shortcut: string; content: string }) {
    return this.#unique(() =>
      db.transaction(async (trx) => {
        const canned = await CannedResponse.create(
          { providerId, shortcut: normalizeShortcut(input.shortcut), content: input.content, createdById: actor.userId },
          { client: trx }
        )
        await audit.record(
          { providerId, userId: actor.userId, ip: actor.ip, action: 'canned_response.created', targetType: 'canned_response', targetId: canned.id, after: { shortcut: canned.shortcut } },
          trx
        )
        return canned
      })
    )
  }

  async update(actor: AdminActor, providerId: number, id: unknown, input: { shortcut?: string; content?: string }) {
    const canned = await this.find(providerId, id)
    return this.#unique(() =>
      db.transaction(async (trx) => {
        const before = { shortcut: canned.shortcut, content: canned.content }
        if (input.shortcut !== undefined) canned.shortcut = normalizeShortcut(input.shortcut)
        if (input.content !== undefined) canned.content = input.content
        await canned.useTransaction(trx).save()
        await audit.record(
          { providerId, userId: actor.userId, ip: actor.ip, action: 'canned_response.updated', targetType: 'canned_response', targetId: canned.id, before, after: { shortcut: canned.shortcut, content: canned.content } },
          trx
        )
        return canned
      })
    )
  }

  async remove(actor: AdminActor, providerId: number, id: unknown) {
    const canned = await this.find(providerId, id)
    await db.transaction(async (trx) => {
      await canned.useTransaction(trx).delete()
      await audit.record(
        { providerId, userId: actor.userId, ip: actor.ip, action: 'canned_response.deleted', targetType: 'canned_response', targetId: canned.id, before: { shortcut: canned.shortcut } },
        trx
      )
    })
  }

  async #unique<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new ApiError(422, 'A canned response with this shortcut already exists', 'shortcut', 'unique')
      }
      throw error
    }
  }
}

/** Stored without the leading slash agents type, lower case. */
function normalizeShortcut(shortcut: string) {
  return shortcut.trim().replace(/^\//, '').toLowerCase()
}

const cannedResponses = new CannedResponseService()
export default cannedResponses
