/**
 * A real Transmit SSE client for tests: the official transmit-client, over the `eventsource` package,
 * with the web session cookie and the X-XSRF-TOKEN header a browser would send.
 *
 * The Transmit authorizers read the web session, so a test client first gets one. Until the web app
 * has a login route of its own, a test-only route (`GET /__test/session?userId=`) is registered here,
 * only when NODE_ENV=test and before the test HTTP server starts (test files import this module while
 * Japa collects them; the server commits its routes afterwards).
 */
import app from '@adonisjs/core/services/app'
import router from '@adonisjs/core/services/router'
import { Transmit, type Subscription } from '@adonisjs/transmit-client'
import { EventSource } from 'eventsource'
import User from '#models/user'

const TEST_SESSION_PATH = '/__test/session'

if (app.inTest) {
  router.get(TEST_SESSION_PATH, async ({ request, auth, response }) => {
    const user = await User.findOrFail(Number(request.qs().userId))
    await auth.use('web').login(user)
    return response.noContent()
  })
}

export interface Frame<P = Record<string, any>> {
  seq: number
  event: string
  payload: P
  at: string
}

export function baseUrl() {
  return `http://${process.env.HOST ?? '127.0.0.1'}:${process.env.PORT ?? '3333'}`
}

/** A cookie jar of one: name → value, updated from Set-Cookie headers. */
class CookieJar {
  #cookies = new Map<string, string>()

  store(response: Response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';')
      const index = pair.indexOf('=')
      const name = pair.slice(0, index).trim()
      const value = pair.slice(index + 1).trim()
      if (/expires=Thu, 01 Jan 1970/i.test(header) || value === '') this.#cookies.delete(name)
      else this.#cookies.set(name, value)
    }
  }

  header() {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  get(name: string) {
    return this.#cookies.get(name)
  }
}

/** A logged-in browser-like client: session cookie, XSRF token, and one Transmit connection. */
export class SseClient {
  readonly received: { channel: string; frame: Frame }[] = []
  readonly jar = new CookieJar()
  #transmit: Transmit | null = null
  #statuses = new Map<string, number>()
  #waiters: (() => void)[] = []

  static async login(user: User) {
    const client = new SseClient()
    const response = await fetch(`${baseUrl()}${TEST_SESSION_PATH}?userId=${user.id}`, { redirect: 'manual' })
    if (response.status !== 204) throw new Error(`test login answered ${response.status}`)
    client.jar.store(response)
    return client
  }

  /** Authenticated fetch with the session cookie and the XSRF header, as the web app does. */
  async fetch(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers)
    headers.set('cookie', this.jar.header())
    const xsrf = this.jar.get('XSRF-TOKEN')
    if (xsrf) headers.set('x-xsrf-token', decodeURIComponent(xsrf))
    headers.set('accept', 'application/json')
    const response = await fetch(path.startsWith('http') ? path : `${baseUrl()}${path}`, {
      ...init,
      headers,
      redirect: 'manual',
    })
    this.jar.store(response)
    return response
  }

  /** Opens the SSE stream (GET /__transmit/events) and waits until it is connected. */
  async connect() {
    const jar = this.jar
    const client = this
    this.#transmit = new Transmit({
      baseUrl: baseUrl(),
      maxReconnectAttempts: 0,
      eventSourceFactory: (url) =>
        new EventSource(url, {
          fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as any), cookie: jar.header() } }),
        }) as any,
      httpClientFactory: (base, uid) =>
        ({
          createRequest(path: string, body: Record<string, unknown>) {
            return new Request(`${base}${path}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'accept': 'application/json' },
              body: JSON.stringify({ uid, ...body }),
            })
          },
          async send(request: Request) {
            const body = await request.text()
            const response = await client.fetch(request.url, { method: 'POST', headers: request.headers, body })
            client.#statuses.set(JSON.parse(body).channel, response.status)
            return response
          },
        }) as any,
    })
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('SSE connection timed out')), 5000)
      this.#transmit!.on('connected', () => {
        clearTimeout(timer)
        resolve()
      })
    })
  }

  /** Subscribes; returns Transmit's answer (204 subscribed, 400 refused). */
  async subscribe(channel: string): Promise<number> {
    if (!this.#transmit) throw new Error('connect() first')
    const subscription: Subscription = this.#transmit.subscription(channel)
    subscription.onMessage((frame: Frame) => {
      this.received.push({ channel, frame })
      for (const wake of this.#waiters.splice(0)) wake()
    })
    await subscription.create()
    return this.#statuses.get(channel) ?? 0
  }

  /** Waits for a frame matching `match` (checked against everything received so far too). */
  async waitFor(match: (frame: Frame, channel: string) => boolean, timeoutMs = 5000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs
    while (true) {
      const found = this.received.find((r) => match(r.frame, r.channel))
      if (found) return found.frame
      const left = deadline - Date.now()
      if (left <= 0) throw new Error('expected realtime event did not arrive')
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.#waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  events(name?: string) {
    return this.received.filter((r) => !name || r.frame.event === name).map((r) => r.frame)
  }

  close() {
    this.#transmit?.close()
    this.#transmit = null
  }
}
