import { defineConfig } from '@adonisjs/redis'
import { redisOptions } from '#config/connections'

const redisConfig = defineConfig({
  connection: 'main',
  connections: {
    main: { ...redisOptions(), keyPrefix: '', retryStrategy: (times: number) => Math.min(times * 200, 2000) },
  },
})

export default redisConfig

declare module '@adonisjs/redis/types' {
  export interface RedisConnections extends InferConnections<typeof redisConfig> {}
}
