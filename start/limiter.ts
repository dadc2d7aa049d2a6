import limiter from '@adonisjs/limiter/services/main'

/** Login and token requests: 10 attempts per e-mail and IP every 15 minutes, then a 15-minute block. */
export const loginThrottle = limiter.define('login', (ctx) => {
  const email = String(ctx.request.input('email', '')).toLowerCase()
  return limiter.allowRequests(10).every('15 minutes').blockFor('15 minutes').usingKey(`login_${ctx.request.ip()}_${email}`)
})
