import { createHash, randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import mail from '@adonisjs/mail/services/main'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import { appUrl } from '#config/app'
import PasswordResetToken from '#models/password_reset_token'
import User from '#models/user'
import audit from '#services/audit_service'
import { currentLogger } from '#services/logging'

const TOKEN_TTL = { hours: 1 }
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex')

const SUBJECT = { 'pt-BR': 'Redefinição de senha do NioChat', 'en': 'Reset your NioChat password' }
const BODY = {
  'pt-BR': (name: string, link: string) =>
    `Olá, ${name}!\n\nRecebemos um pedido para redefinir a sua senha do NioChat. Para criar uma nova senha, abra o link abaixo (válido por 1 hora):\n\n${link}\n\nSe não foi você, ignore este e-mail: sua senha continua a mesma.`,
  'en': (name: string, link: string) =>
    `Hi ${name},\n\nWe received a request to reset your NioChat password. To choose a new one, open the link below (valid for 1 hour):\n\n${link}\n\nIf this wasn't you, ignore this e-mail: your password stays the same.`,
}

/**
 * "Forgot my password": a single-use token, stored only as a hash, valid for an hour, sent by e-mail.
 * The answer never says whether the e-mail has an account.
 */
export class PasswordResetService {
  async request(email: string) {
    const user = await User.query().whereRaw('lower(email) = ?', [User.normalizeEmail(email)]).first()
    if (!user) return
    const token = randomBytes(32).toString('base64url')
    await PasswordResetToken.query().where('user_id', user.id).whereNull('used_at').update({ usedAt: DateTime.now() })
    await PasswordResetToken.create({ userId: user.id, tokenHash: hashOf(token), expiresAt: DateTime.now().plus(TOKEN_TTL), usedAt: null })
    const link = `${appUrl}/reset-password/${token}`
    const locale = user.locale === 'en' ? 'en' : 'pt-BR'

    if (!env.get('SMTP_HOST')) {
      // Without SMTP the link can only reach a developer through the log; never in production.
      if (app.inDev) currentLogger().info({ email: user.email, link }, 'password reset link (SMTP_HOST is not set)')
      else currentLogger().warn({ user_id: user.id }, 'password reset requested but SMTP_HOST is not set: no e-mail sent')
      return
    }
    await mail.send((message) => {
      message.to(user.email, user.name).subject(SUBJECT[locale]).text(BODY[locale](user.name, link))
    })
  }

  /** Whether a token from a link is still usable (the form is shown only then). */
  async isUsable(token: string) {
    return Boolean(await this.#find(token))
  }

  async reset(token: string, password: string): Promise<boolean> {
    return db.transaction(async (trx) => {
      const row = await this.#find(token, trx)
      if (!row) return false
      row.useTransaction(trx)
      row.usedAt = DateTime.now()
      await row.save()
      const user = await User.findOrFail(row.userId, { client: trx })
      user.useTransaction(trx)
      user.password = password
      await user.save()
      // A password reset ends every API token too: whoever had the old password loses access.
      await trx.from('auth_access_tokens').where('tokenable_id', user.id).delete()
      await audit.record({ providerId: null, userId: user.id, action: 'user.password_reset', targetType: 'user', targetId: user.id }, trx)
      return true
    })
  }

  async #find(token: string, trx?: any) {
    if (!token || token.length > 200) return null
    return PasswordResetToken.query({ client: trx })
      .where('token_hash', hashOf(token))
      .whereNull('used_at')
      .where('expires_at', '>', new Date())
      .forUpdate()
      .first()
  }
}

const passwordResets = new PasswordResetService()
export default passwordResets
