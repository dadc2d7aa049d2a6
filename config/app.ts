import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/core/http'

/** Encrypts cookies, signed URLs and the plugin secrets stored in the database: never change or lose it. */
export const appKey = env.get('APP_KEY')

/** The public base URL; webhook URLs given to WhatsApp/Telegram providers are built from it. */
export const appUrl = env.get('APP_URL').replace(/\/+$/, '')

export const http = defineConfig({
  generateRequestId: true,
  allowMethodSpoofing: false,
  /* The request id, provider id and user id are carried into every log line through the HTTP context. */
  useAsyncLocalStorage: true,
  /* Behind Docker/nginx the client's IP is in X-Forwarded-For; the audit log records it. */
  trustProxy: () => true,
  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    secure: app.inProduction && appUrl.startsWith('https://'),
    sameSite: 'lax',
  },
})
