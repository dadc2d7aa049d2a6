import transmit from '@adonisjs/transmit/services/main'

/* GET /__transmit/events, POST /__transmit/subscribe and /unsubscribe; authorization in start/transmit.ts. */
transmit.registerRoutes()
