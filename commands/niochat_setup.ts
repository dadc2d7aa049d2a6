import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * Creates or updates the platform superadmin. Idempotent: running it again with the same e-mail
 * only sets the password (and the flag). The web server runs the same thing on first boot when
 * NIOCHAT_ADMIN_EMAIL and NIOCHAT_ADMIN_PASSWORD are set.
 */
export default class NiochatSetup extends BaseCommand {
  static commandName = 'niochat:setup'
  static description = 'Create or update the platform superadmin (--email, --password; --provider to add a first provider)'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'E-mail of the superadmin', required: true })
  declare email: string

  @flags.string({ description: 'Password (at least 8 characters)', required: true })
  declare password: string

  @flags.string({ description: 'Display name', default: 'Administrador' })
  declare name: string

  @flags.string({ description: 'Also create this provider (ISP) with the superadmin as its admin' })
  declare provider?: string

  async run() {
    const { default: setup } = await import('#services/setup_service')
    try {
      const { created, user } = await setup.ensureSuperadmin({ email: this.email, password: this.password, name: this.name })
      this.logger.success(`${created ? 'Created' : 'Updated'} superadmin ${this.email.trim().toLowerCase()}`)
      if (this.provider !== undefined) {
        const result = await setup.ensureProvider(user, this.provider)
        this.logger.success(`${result.created ? 'Created' : 'Using'} provider "${result.provider.name}" with ${user.email} as its admin`)
        if (result.simulator) this.logger.info('Added a "Simulador" inbox: open Simulador in the app to write as a customer')
      }
    } catch (error) {
      const messages = (error as { messages?: { message: string }[] }).messages
      for (const message of messages ?? [{ message: (error as Error).message }]) this.logger.error(message.message)
      this.exitCode = 1
    }
  }
}
