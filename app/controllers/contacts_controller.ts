import type { HttpContext } from '@adonisjs/core/http'
import contacts from '#services/contact_service'
import contactIsp from '#services/contact_isp_service'
import { presentContact } from '#transformers/workflow_presenters'
import {
  createContactValidator,
  listContactsValidator,
  contactIspValidator,
  mergeContactValidator,
  updateContactValidator,
} from '#validators/contact'

/** Contacts: every member reads, creates and edits them; admins and supervisors delete and merge. */
export default class ContactsController {
  async index({ tenant, request }: HttpContext) {
    const options = await listContactsValidator.validate(request.qs())
    const { data, nextCursor } = await contacts.list(tenant.providerId, options)
    return { data: data.map((contact) => presentContact(contact)), meta: { nextCursor } }
  }

  async show({ tenant, params }: HttpContext) {
    const contact = await contacts.find(tenant.providerId, params.id)
    return presentContact(contact, await contacts.identitiesOf(contact))
  }

  async store({ tenant, request, response }: HttpContext) {
    const input = await request.validateUsing(createContactValidator)
    const contact = await contacts.create({ userId: tenant.user.id, ip: request.ip() }, tenant.providerId, input)
    return response.created(presentContact(contact, []))
  }

  async update({ tenant, request, params }: HttpContext) {
    const input = await request.validateUsing(updateContactValidator)
    const contact = await contacts.update({ userId: tenant.user.id, ip: request.ip() }, tenant.providerId, params.id, input)
    return presentContact(contact, await contacts.identitiesOf(contact))
  }

  async destroy({ tenant, request, params, response }: HttpContext) {
    tenant.requireRole('admin', 'supervisor')
    await contacts.remove({ userId: tenant.user.id, ip: request.ip() }, tenant.providerId, params.id)
    return response.noContent()
  }

  /** `POST …/contacts/:id/merge {sourceId}`: folds the source contact into this one. */
  async merge({ tenant, request, params }: HttpContext) {
    tenant.requireRole('admin', 'supervisor')
    const { sourceId } = await request.validateUsing(mergeContactValidator)
    const { contact, moved } = await contacts.merge({ userId: tenant.user.id, ip: request.ip() }, tenant.providerId, params.id, sourceId)
    return { ...presentContact(contact, await contacts.identitiesOf(contact)), moved }
  }

  /**
   * `GET …/contacts/:id/isp[?cpfCnpj=]`: the customer's contracts, connection and open invoices from
   * the provider's ISP system, fetched now (the contact's CPF, else the one the AI learned, else the phone).
   */
  async isp({ tenant, request, params }: HttpContext) {
    const { cpfCnpj } = await contactIspValidator.validate(request.qs())
    return contactIsp.lookup(tenant.providerId, params.id, cpfCnpj)
  }
}
