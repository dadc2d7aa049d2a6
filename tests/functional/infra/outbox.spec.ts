import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import outbox from '#services/outbox_service'
import queues from '#services/queue_service'
import { drainQueues, startTestWorkers, stopTestWorkers } from '#tests/helpers/workers'

/** Jobs of a test-only name on the ingest queue, recording what ran. */
const ran: Record<string, unknown>[] = []
queues.registerProcessor('ingest', 'test.record', async (job) => {
  ran.push(job.data)
})

test.group('Transactional outbox', (group) => {
  group.each.setup(async () => {
    const truncate = await testUtils.db().truncate()
    ran.length = 0
    await startTestWorkers()
    return async () => {
      await stopTestWorkers()
      await truncate()
    }
  })

  test('a job written in a transaction runs after commit, and not at all after a rollback', async ({ assert }) => {
    await db.transaction(async (trx) => {
      await outbox.add(trx, { providerId: null, queue: 'ingest', jobName: 'test.record', payload: { n: 1 } })
    })
    await db
      .transaction(async (trx) => {
        await outbox.add(trx, { providerId: null, queue: 'ingest', jobName: 'test.record', payload: { n: 2 } })
        throw new Error('rolled back')
      })
      .catch(() => {})
    await drainQueues()
    assert.deepEqual(ran, [{ n: 1 }])
    assert.equal(await outbox.pendingCount(), 0)
  })

  test('a deterministic job id makes a repeated dispatch run once', async ({ assert }) => {
    for (let i = 0; i < 3; i++) {
      await db.transaction((trx) =>
        outbox.add(trx, { providerId: null, queue: 'ingest', jobName: 'test.record', jobId: 'same-work-1', payload: { i } })
      )
    }
    await drainQueues()
    assert.lengthOf(ran, 1)
  })

  test('a debounced burst runs once, with the last payload, after the burst', async ({ assert }) => {
    for (let i = 1; i <= 3; i++) {
      await db.transaction((trx) =>
        outbox.add(trx, { providerId: null, queue: 'ingest', jobName: 'test.record', payload: { message: i }, delayMs: 300, debounce: { id: 'conversation-7' } })
      )
    }
    await drainQueues()
    assert.deepEqual(ran, [{ message: 3 }])
  })
})
