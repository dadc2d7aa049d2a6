import { assert } from '@japa/assert'
import { apiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import type { Config } from '@japa/runner/types'
import { pluginAdonisJS } from '@japa/plugin-adonisjs'
import testUtils from '@adonisjs/core/services/test_utils'
import { sessionApiClient } from '@adonisjs/session/plugins/api_client'
import { shieldApiClient } from '@adonisjs/shield/plugins/api_client'
import { authApiClient } from '@adonisjs/auth/plugins/api_client'
import { inertiaApiClient } from '@adonisjs/inertia/plugins/api_client'
import { browserClient } from '@japa/browser-client'
import { sessionBrowserClient } from '@adonisjs/session/plugins/browser_client'
import { chromium } from 'playwright'
import redis from '@adonisjs/redis/services/main'
import { MigrationRunner } from '@adonisjs/lucid/migration'

/*
 * Each test resets the database through `migration:run`, whose advisory lock is taken and released
 * on whatever pooled connection is free: with the queue workers querying in the background, the
 * release can land on another connection, fail, and leave the lock held for every later test. One
 * test process owns its database, so the lock protects nothing here: the same as `--disable-locks`,
 * which the test utilities do not pass.
 */
const runner = MigrationRunner.prototype as unknown as Record<'acquireLock' | 'releaseLock', () => Promise<void>>
runner.acquireLock = async () => {}
runner.releaseLock = async () => {}

export const plugins: Config['plugins'] = [
  assert(),
  apiClient(),
  pluginAdonisJS(app),
  sessionApiClient(app),
  shieldApiClient(),
  authApiClient(app),
  inertiaApiClient(app),
  browserClient({
    runInSuites: ['browser'],
    // Agents are in Brazil: the browser asks for pt-BR, as theirs do.
    contextOptions: { locale: 'pt-BR', viewport: { width: 1366, height: 768 } },
    launcher: (config) =>
      chromium.launch({
        ...config,
        headless: true,
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium',
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      }),
  }),
  sessionBrowserClient(app),
]

/**
 * The test database is migrated once before the run and rolled back after it; Redis database 1 (the
 * tests' own) is emptied first so queues and rate limits start clean.
 */
export const runnerHooks: Required<Pick<Config, 'setup' | 'teardown'>> = {
  setup: [() => testUtils.db().migrate(), async () => void (await redis.flushdb())],
  teardown: [],
}

export const configureSuite: Config['configureSuite'] = (suite) => {
  if (['browser', 'functional'].includes(suite.name)) {
    return suite.setup(() => testUtils.httpServer().start())
  }
}
