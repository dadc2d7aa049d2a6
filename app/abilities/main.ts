/** Bouncer abilities that are not tied to a resource policy (none yet: tenancy checks live in policies). */
export {}
