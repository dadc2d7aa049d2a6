import { defineConfig } from '@adonisjs/shield'
import type { HttpContext } from '@adonisjs/core/http'

/**
 * CSRF protects the cookie session of the web app. Webhooks carry no session, and API calls with a
 * Bearer token cannot be forged by another site, so both are exempt (as is the token exchange itself); the web app's own calls to
 * /api/* ride on the session cookie and therefore still need the XSRF token.
 */
function isExemptFromCsrf(ctx: HttpContext) {
  const url = ctx.request.url()
  if (url.startsWith('/webhooks/')) return true
  // Trading e-mail + password for a token uses no cookie, so there is nothing to forge.
  if (url === '/api/v1/auth/tokens' && ctx.request.method() === 'POST') return true
  return url.startsWith('/api/') && /^Bearer\s/i.test(ctx.request.header('authorization') ?? '')
}

export default defineConfig({
  csp: { enabled: false, directives: {}, reportOnly: false },
  csrf: {
    enabled: true,
    exceptRoutes: isExemptFromCsrf,
    /* The browser app (Inertia, the Transmit client) sends the token back as X-XSRF-TOKEN. */
    enableXsrfCookie: true,
    methods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  },
  xFrame: { enabled: true, action: 'DENY' },
  hsts: { enabled: true, maxAge: '180 days' },
  contentTypeSniffing: { enabled: true },
})
