import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import ApiError from '#exceptions/api_error'
import Contact from '#models/contact'
import ContactIdentity from '#models/contact_identity'
import audit from '#services/audit_service'
import { findOwned } from '#services/tenancy'
import { pageById } from '#services/pagination'
import type { AdminActor } from '#services/team_service'

export interface ContactInput {
  name?: string | null
  phone?: string | null
  email?: string | null
  document?: string | null
  avatarUrl?: string | null
  /** Merged into the stored attributes; a key set to null is removed. */
  customAttributes?: Record<string, unknown>
}

/** Phones are stored as digits only (E.164 without "+"), the way the channels deliver them. */
export function normalizePhone(phone: string | null | undefined) {
  if (phone === undefined) return undefined
  const digits = (phone ?? '').replace(/\D/g, '')
  return digits.length ? digits : null
}

function mergeAttributes(current: Record<string, unknown>, changes: Record<string, unknown>) {
  const next = { ...current }
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete next[key]
    else next[key] = value
  }
  return next
}

/** The people who write to a provider: CRUD, custom attributes, search and merge. */
export class ContactService {
  /** Newest first; `q` matches name or e-mail (any part) and phone digits. Merged contacts are hidden. */
  async list(providerId: number, options: { q?: string; cursor?: string; limit?: number }) {
    const query = Contact.query().where('provider_id', providerId).whereNull('merged_into_id')
    if (options.q) {
      const text = options.q.trim()
      const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      const digits = text.replace(/\D/g, '')
      query.where((match) => {
        match.whereILike('name', pattern).orWhereILike('email', pattern)
        if (digits.length >= 3) match.orWhereLike('phone', `%${digits}%`)
      })
    }
    const result = await pageById<Contact>(query as any, { ...options, direction: 'desc' })
    return { data: result.data, nextCursor: result.nextCursor }
  }

  async find(providerId: number, contactId: unknown) {
    return findOwned(Contact, providerId, contactId, 'Contact')
  }

  async identitiesOf(contact: Contact) {
    return ContactIdentity.query().where({ providerId: contact.providerId, contactId: contact.id }).orderBy('id')
  }

  async create(actor: AdminActor, providerId: number, input: ContactInput) {
    return db.transaction(async (trx) => {
      const phone = normalizePhone(input.phone) ?? null
      if (!input.name && !phone && !input.email) {
        throw new ApiError(422, 'A contact needs a name, a phone or an e-mail', 'name', 'required')
      }
      await this.#assertPhoneFree(trx, providerId, phone, null)
      const contact = await Contact.create(
        {
          providerId,
          name: input.name ?? null,
          phone,
          email: input.email ?? null,
          document: input.document ?? null,
          avatarUrl: input.avatarUrl ?? null,
          customAttributes: mergeAttributes({}, input.customAttributes ?? {}),
        },
        { client: trx }
      )
      await audit.record(
        { providerId, userId: actor.userId, ip: actor.ip, action: 'contact.created', targetType: 'contact', targetId: contact.id, after: { name: contact.name, phone, email: contact.email } },
        trx
      )
      return contact
    })
  }

  async update(actor: AdminActor, providerId: number, contactId: unknown, input: ContactInput) {
    const found = await this.find(providerId, contactId)
    return db.transaction(async (trx) => {
      const contact = await Contact.query({ client: trx }).where('id', found.id).forUpdate().firstOrFail()
      if (contact.mergedIntoId) throw new ApiError(409, 'This contact was merged into another one')
      const before = this.#snapshot(contact)
      const { customAttributes, phone: rawPhone, ...fields } = input
      const phone = normalizePhone(rawPhone)
      if (phone !== undefined && phone !== contact.phone) await this.#assertPhoneFree(trx, providerId, phone, contact.id)
      contact.merge(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)))
      if (phone !== undefined) contact.phone = phone
      if (customAttributes) contact.customAttributes = mergeAttributes(contact.customAttributes ?? {}, customAttributes)
      await contact.useTransaction(trx).save()
      await audit.record(
        { providerId, userId: actor.userId, ip: actor.ip, action: 'contact.updated', targetType: 'contact', targetId: contact.id, before, after: this.#snapshot(contact) },
        trx
      )
      return contact
    })
  }

  /** Only a contact with no conversation can be deleted (conversations are history; merge instead). */
  async remove(actor: AdminActor, providerId: number, contactId: unknown) {
    const contact = await this.find(providerId, contactId)
    await db.transaction(async (trx) => {
      const used = await trx.from('conversations').where({ provider_id: providerId, contact_id: contact.id }).first()
      if (used) throw new ApiError(409, 'This contact has conversations; merge it into another contact instead')
      await trx.from('contacts').where({ provider_id: providerId, merged_into_id: contact.id }).update({ merged_into_id: null })
      await contact.useTransaction(trx).delete()
      await audit.record(
        { providerId, userId: actor.userId, ip: actor.ip, action: 'contact.deleted', targetType: 'contact', targetId: contact.id, before: this.#snapshot(contact) },
        trx
      )
    })
  }

  /**
   * Folds `sourceId` into `targetId`: identities, conversations and CSAT surveys move to the target,
   * attributes the target lacks are copied (the target wins where both have one), and the source stays
   * as a pointer (`mergedIntoId`) so links to it still resolve. When both have an active conversation on
   * the same inbox, nothing moves (409): one of them must be resolved first.
   */
  async merge(actor: AdminActor, providerId: number, targetId: unknown, sourceId: number) {
    const targetFound = await this.find(providerId, targetId)
    const sourceFound = await this.find(providerId, sourceId)
    if (targetFound.id === sourceFound.id) throw new ApiError(422, 'A contact cannot be merged into itself', 'sourceId', 'different')

    return db.transaction(async (trx) => {
      // Locked in id order so two merges of the same pair cannot deadlock.
      const locked = await Contact.query({ client: trx })
        .where('provider_id', providerId)
        .whereIn('id', [targetFound.id, sourceFound.id])
        .orderBy('id')
        .forUpdate()
      const target = locked.find((c) => c.id === targetFound.id)!
      const source = locked.find((c) => c.id === sourceFound.id)!
      if (target.mergedIntoId || source.mergedIntoId) throw new ApiError(409, 'One of these contacts was already merged')

      const clash = await trx
        .from('conversations as s')
        .join('conversations as t', (join) => {
          join.on('t.provider_id', 's.provider_id').andOn('t.inbox_id', 's.inbox_id')
        })
        .where('s.provider_id', providerId)
        .where('s.contact_id', source.id)
        .where('t.contact_id', target.id)
        .whereNot('s.status', 'resolved')
        .whereNot('t.status', 'resolved')
        .whereRaw("coalesce(s.chat_id, '') = coalesce(t.chat_id, '')")
        .select('s.id')
        .first()
      if (clash) {
        throw new ApiError(409, 'Both contacts have an active conversation on the same inbox; resolve one of them first')
      }

      const before = { target: this.#snapshot(target), source: this.#snapshot(source) }
      const moved = {
        identities: await this.#move(trx, 'contact_identities', providerId, source.id, target.id),
        conversations: await this.#move(trx, 'conversations', providerId, source.id, target.id),
        csatSurveys: await this.#move(trx, 'csat_surveys', providerId, source.id, target.id),
      }
      await trx.from('contacts').where({ provider_id: providerId, merged_into_id: source.id }).update({ merged_into_id: target.id })

      for (const field of ['name', 'phone', 'email', 'document', 'avatarUrl'] as const) {
        if (!target[field] && source[field]) target[field] = source[field]
      }
      target.customAttributes = { ...(source.customAttributes ?? {}), ...(target.customAttributes ?? {}) }
      if (source.lastActivityAt && (!target.lastActivityAt || source.lastActivityAt > target.lastActivityAt)) {
        target.lastActivityAt = source.lastActivityAt
      }
      // The source's phone moves with it (one phone, one contact).
      const sourcePhone = source.phone
      source.merge({ mergedIntoId: target.id, phone: null })
      await source.useTransaction(trx).save()
      if (!target.phone && sourcePhone) target.phone = sourcePhone
      await target.useTransaction(trx).save()

      await audit.record(
        {
          providerId,
          userId: actor.userId,
          ip: actor.ip,
          action: 'contact.merged',
          targetType: 'contact',
          targetId: target.id,
          before,
          after: { target: this.#snapshot(target), sourceId: source.id, moved },
        },
        trx
      )
      return { contact: target, moved }
    })
  }

  async #move(trx: TransactionClientContract, table: string, providerId: number, from: number, to: number) {
    const result = await trx.from(table).where({ provider_id: providerId, contact_id: from }).update({ contact_id: to })
    return Number(Array.isArray(result) ? result[0] : result) || 0
  }

  async #assertPhoneFree(trx: TransactionClientContract, providerId: number, phone: string | null, exceptId: number | null) {
    if (!phone) return
    const query = trx.from('contacts').where({ provider_id: providerId, phone }).whereNull('merged_into_id')
    if (exceptId) query.whereNot('id', exceptId)
    if (await query.first()) throw new ApiError(422, 'Another contact already has this phone', 'phone', 'unique')
  }

  #snapshot(contact: Contact) {
    return {
      name: contact.name,
      phone: contact.phone,
      email: contact.email,
      document: contact.document,
      customAttributes: contact.customAttributes ?? {},
    }
  }
}

const contacts = new ContactService()
export default contacts
