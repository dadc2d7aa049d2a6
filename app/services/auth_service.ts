import ApiError from '#exceptions/api_error'
import Membership from '#models/membership'
import User from '#models/user'

/**
 * Credential checks shared by the web login and the token endpoint. A member whose every provider
 * is suspended cannot log in; the superadmin always can.
 */
export class AuthService {
  async verifyLogin(email: string, password: string): Promise<User> {
    // verifyCredentials hashes even for unknown e-mails, so timing does not reveal which exist.
    const user = await User.verifyCredentials(User.normalizeEmail(email), password)
    if (!user.isSuperadmin && (await this.allProvidersSuspended(user))) {
      throw new ApiError(403, 'Your provider is suspended. Contact the platform administrator.')
    }
    return user
  }

  async allProvidersSuspended(user: User) {
    const memberships = await Membership.query().where('user_id', user.id).preload('provider')
    return memberships.length > 0 && memberships.every((membership) => membership.provider.isSuspended)
  }

  async issueToken(user: User, name?: string) {
    const token = await User.accessTokens.create(user, ['*'], { name: name ?? 'api' })
    return { id: Number(token.identifier), token: token.value!.release(), expiresAt: token.expiresAt?.toISOString() ?? null }
  }

  async listTokens(user: User) {
    const tokens = await User.accessTokens.all(user)
    return tokens.map((token) => ({
      id: Number(token.identifier),
      name: token.name,
      lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
      expiresAt: token.expiresAt?.toISOString() ?? null,
      createdAt: token.createdAt?.toISOString() ?? null,
    }))
  }

  async revokeToken(user: User, tokenId: unknown) {
    const id = Number(tokenId)
    const deleted = Number.isSafeInteger(id) ? await User.accessTokens.delete(user, id) : 0
    if (!deleted) throw ApiError.notFound('Token')
  }
}

const auth = new AuthService()
export default auth
