import { defineConfig } from '@adonisjs/transmit'
import { redis } from '@adonisjs/transmit/transports/redis'
import { redisOptions } from '#config/connections'

/**
 * Server-sent events to browsers. Broadcasts cross web instances through Redis; subscriptions live in
 * each instance's memory, so a load balancer must route /__transmit/* stickily (see README).
 */
export default defineConfig({
  pingInterval: '25s',
  transport: { driver: redis({ ...redisOptions(), keyPrefix: 'transmit' }) },
})
