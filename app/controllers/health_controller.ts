import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'

/** Probes for Docker/Kubernetes: live = the process answers; ready = PostgreSQL and Redis answer too. */
export default class HealthController {
  async live() {
    return { status: 'ok' }
  }

  async ready({ response }: HttpContext) {
    const [database, cache] = await Promise.all([
      probe(() => db.rawQuery('SELECT 1')),
      probe(() => redis.ping()),
    ])
    const ok = database.ok && cache.ok
    return response.status(ok ? 200 : 503).send({
      status: ok ? 'ok' : 'unavailable',
      checks: { database, redis: cache },
    })
  }
}

async function probe(check: () => Promise<unknown>, timeoutMs = 2000) {
  const started = performance.now()
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs)),
    ])
    return { ok: true, ms: Math.round(performance.now() - started) }
  } catch (error) {
    return { ok: false, error: (error as Error).message }
  }
}
