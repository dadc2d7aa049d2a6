/*
 * The floor of bench/ingest.bench.ts: a bare Node HTTP server doing the least a webhook receiver must
 * do per request: parse the JSON, one INSERT ... ON CONFLICT DO NOTHING in PostgreSQL and one Redis
 * PUBLISH. Prints "ready <port>" when listening.
 */
import { createServer } from 'node:http'
import pg from 'pg'
import { Redis } from 'ioredis'

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/niochat', max: 10 })
const redis = new Redis(process.env.REDIS_URL || 'redis://127.0.0.1:6379')
// A logged table: the INSERT is committed durably, as ingest's must be (a 2xx means stored).
await pool.query('DROP TABLE IF EXISTS bench_floor')
await pool.query('CREATE TABLE bench_floor (id bigserial PRIMARY KEY, external_id text UNIQUE, body jsonb)')

const server = createServer((req, res) => {
  let data = ''
  req.on('data', (chunk) => (data += chunk))
  req.on('end', async () => {
    try {
      const body = JSON.parse(data)
      await pool.query('INSERT INTO bench_floor (external_id, body) VALUES ($1, $2) ON CONFLICT DO NOTHING', [body.data.key.id, data])
      await redis.publish('bench-floor', body.data.key.id)
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":1}')
    } catch {
      res.writeHead(400).end()
    }
  })
})
server.listen(0, '127.0.0.1', () => console.log(`ready ${(server.address() as any).port}`))
process.on('SIGTERM', async () => {
  server.close()
  await pool.query('DROP TABLE IF EXISTS bench_floor')
  await pool.end()
  redis.disconnect()
  process.exit(0)
})
