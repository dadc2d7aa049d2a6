/**
 * Every Bouncer policy of the app, by name. Listed by hand (instead of the generated index) so the
 * middleware and the policies read without a codegen step. Policies receive the request's
 * TenantContext (provider + role) as the resource: roles are per provider, not per user.
 */
export const policies = {
  ProviderPolicy: () => import('#policies/provider_policy'),
  MemberPolicy: () => import('#policies/member_policy'),
}
