/**
 * Every Bouncer policy of the app, by name. Listed by hand (instead of the generated index) so the
 * middleware and the policies read without a codegen step.
 */
export const policies = {}
