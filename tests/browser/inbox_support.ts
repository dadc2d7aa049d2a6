import type { BrowserContext } from 'playwright'
import type { ApiClient } from '@japa/api-client'
import type { Group } from '@japa/runner/core'
import testUtils from '@adonisjs/core/services/test_utils'
import { FakeEvolution } from '#tests/helpers/fakes/evolution_server'
import type { Member } from '#tests/helpers/tenancy'
import { startTestWorkers, stopTestWorkers } from '#tests/helpers/workers'

/* What the inbox tests share: a WhatsApp world, and browser stand-ins (notifications, a realtime stream that can drop, a microphone). */

/**
 * For a group whose tests talk WhatsApp: the queue workers run, and each test gets an empty database
 * and its own fake Evolution server (`world.evolution`); `world.inbox` adds an inbox of that fake and
 * returns its webhook path.
 */
export function whatsappWorld(group: Group) {
  const world = {
    evolution: null as unknown as FakeEvolution,
    async inbox(client: ApiClient, member: Member) {
      const inbox = await client
        .post(`/api/v1/providers/${member.provider.id}/inboxes`)
        .header('authorization', member.token)
        .json({ name: 'WhatsApp', plugin: 'evolution', config: world.evolution.config() })
      inbox.assertStatus(201)
      return new URL(inbox.body().webhookUrl).pathname
    },
  }
  group.setup(async () => {
    await startTestWorkers()
    return () => stopTestWorkers()
  })
  group.each.setup(async () => {
    const truncate = await testUtils.db().truncate()
    world.evolution = await new FakeEvolution().start()
    return async () => {
      await world.evolution.close()
      await truncate()
    }
  })
  return world
}

/**
 * Desktop notifications are shown by the operating system, out of the page's reach: the page's
 * `Notification` is replaced by one that records what would be shown (permission granted), and the
 * beeps of the Web Audio API are counted.
 */
export async function recordNotifications(context: BrowserContext) {
  await context.addInitScript(`
    window.__notifications = []
    window.__beeps = 0
    window.Notification = class {
      static permission = 'granted'
      static requestPermission() { return Promise.resolve('granted') }
      constructor(title, options) { window.__notifications.push({ title, body: options?.body ?? '' }) }
      close() {}
    }
    const start = OscillatorNode.prototype.start
    OscillatorNode.prototype.start = function (...args) { window.__beeps++; return start.apply(this, args) }
  `)
}

/**
 * The realtime stream can be cut and restored from the test, like a network drop: every EventSource
 * the page opens is a real one behind a stand-in that can close it (telling the page it errored, as a
 * dropped connection does) and open a new one later.
 */
export async function controllableRealtime(context: BrowserContext) {
  await context.addInitScript(`
    const Real = window.EventSource
    const sources = []
    class Controlled extends EventTarget {
      constructor(url, init) { super(); this.url = String(url); this.init = init; this.readyState = 0; sources.push(this); this.connect() }
      connect() {
        const inner = new Real(this.url, this.init)
        this.inner = inner
        for (const type of ['open', 'message', 'error']) {
          inner.addEventListener(type, (event) => {
            if (this.inner !== inner) return
            this.readyState = inner.readyState
            this.dispatchEvent(type === 'message' ? new MessageEvent('message', { data: event.data }) : new Event(type))
          })
        }
      }
      close() { this.inner?.close(); this.inner = null; this.readyState = 2 }
    }
    window.EventSource = Controlled
    window.__dropRealtime = () => sources.forEach((s) => { s.inner?.close(); s.inner = null; s.readyState = 0; s.dispatchEvent(new Event('error')) })
    window.__restoreRealtime = () => sources.forEach((s) => s.connect())
  `)
}

/** No microphone on a test machine: getUserMedia answers with a tone from the Web Audio API instead. */
export async function fakeMicrophone(context: BrowserContext) {
  await context.addInitScript(`
    navigator.mediaDevices.getUserMedia = async () => {
      const audio = new AudioContext()
      const tone = audio.createOscillator()
      const out = audio.createMediaStreamDestination()
      tone.connect(out)
      tone.start()
      return out.stream
    }
  `)
}
