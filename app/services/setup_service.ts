import vine from '@vinejs/vine'
import env from '#start/env'
import User from '#models/user'
import Provider from '#models/provider'
import Membership from '#models/membership'
import Inbox from '#models/inbox'
import plugins from '#plugins/main'
import providers from '#services/provider_service'
import inboxes from '#services/inbox_service'
import { currentLogger } from '#services/logging'

const superadminValidator = vine.create({
  email: vine.string().trim().email(),
  password: vine.string().minLength(8).maxLength(200),
  name: vine.string().trim().minLength(1).maxLength(120),
})

/** The platform's first account: from `niochat:setup` or from env on first boot. */
export class SetupService {
  async ensureSuperadmin(input: { email: string; password: string; name?: string }) {
    const { email, password, name } = await superadminValidator.validate({ name: 'Administrador', ...input })
    const normalized = User.normalizeEmail(email)
    const existing = await User.query().whereRaw('lower(email) = ?', [normalized]).first()
    if (existing) {
      existing.merge({ password, isSuperadmin: true })
      await existing.save()
      return { user: existing, created: false }
    }
    const user = await User.create({
      name,
      email: normalized,
      password,
      isSuperadmin: true,
      locale: 'pt-BR',
      theme: 'system',
      notificationSound: true,
    })
    return { user, created: true }
  }

  /**
   * A first provider with this user as its admin (and, where the simulator is on, a simulator inbox),
   * so a newcomer signs in to a working app. Idempotent: an existing provider of that name is reused.
   */
  async ensureProvider(user: User, name: string) {
    const trimmed = name.trim()
    if (!trimmed || trimmed.length > 120) throw new Error('The provider name must have 1 to 120 characters')
    let provider = await Provider.query().whereRaw('lower(name) = ?', [trimmed.toLowerCase()]).first()
    const created = !provider
    provider ??= await providers.create({ user }, { name: trimmed })
    await Membership.updateOrCreate({ providerId: provider.id, userId: user.id }, { role: 'admin' })
    let simulator = false
    if (plugins.channels.has('simulator') && !(await Inbox.query().where({ providerId: provider.id, pluginId: 'simulator' }).first())) {
      await inboxes.create({ userId: user.id }, provider.id, { name: 'Simulador', plugin: 'simulator', config: {} })
      simulator = true
    }
    return { provider, created, simulator }
  }

  /** First boot: NIOCHAT_ADMIN_EMAIL/PASSWORD create the superadmin when no account has that e-mail yet. */
  async fromEnvironment() {
    const email = env.get('NIOCHAT_ADMIN_EMAIL')
    const password = env.get('NIOCHAT_ADMIN_PASSWORD')?.release()
    if (!email || !password) return
    const exists = await User.query().whereRaw('lower(email) = ?', [User.normalizeEmail(email)]).first()
    if (exists) return
    try {
      await this.ensureSuperadmin({ email, password })
      currentLogger().info({ email }, 'created the superadmin from NIOCHAT_ADMIN_EMAIL')
    } catch (error) {
      currentLogger().error({ err: error }, 'NIOCHAT_ADMIN_EMAIL/NIOCHAT_ADMIN_PASSWORD are set but invalid')
    }
  }
}

const setup = new SetupService()
export default setup
