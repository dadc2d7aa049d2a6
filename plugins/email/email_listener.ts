import { ImapFlow } from 'imapflow'
import { simpleParser } from 'mailparser'
import type { ChannelEvent, InboxContext, Stoppable } from '#plugins/sdk'
import { imapOptions, mailboxOf, type EmailConfig } from './email_config.js'
import { mailToEvents } from './email_parser.js'

const MAX_BACKOFF_MS = 30_000
const POLL_MS = 60_000

/**
 * One mailbox, listened to with IMAP IDLE (protocols.md §4.1). New mail is fetched by UID after the
 * last one stored (kept in the inbox state with the mailbox's UIDVALIDITY), handed to the core, and
 * only then flagged \Seen and remembered: a crash in between fetches it again, and the core's
 * idempotency on Message-ID stores it once. A lost connection is retried with back-off.
 */
export class MailboxListener implements Stoppable {
  #client: ImapFlow | null = null
  #stopped = false
  #backoffMs = 1000
  #lastUid: number
  #uidValidity: string | null
  #chain: Promise<void> = Promise.resolve()
  #loop: Promise<void> | null = null

  constructor(
    private readonly inbox: InboxContext<EmailConfig>,
    private readonly sink: (event: ChannelEvent) => Promise<void>
  ) {
    this.#lastUid = Number(inbox.state.lastUid ?? 0)
    this.#uidValidity = typeof inbox.state.uidValidity === 'string' ? inbox.state.uidValidity : null
  }

  begin() {
    this.#loop = this.#run()
    return this
  }

  async stop() {
    this.#stopped = true
    await this.#client?.logout().catch(() => this.#client?.close())
    await this.#loop
  }

  async #run() {
    while (!this.#stopped) {
      const client = new ImapFlow(imapOptions(this.inbox.config))
      this.#client = client
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()))
      client.on('error', (error: Error) => this.inbox.logger.warn({ err: error }, 'imap connection error'))
      try {
        await client.connect()
        // Selected without a lock held: imapflow enters IDLE by itself whenever no command runs.
        await client.mailboxOpen(mailboxOf(this.inbox.config))
        this.#backoffMs = 1000
        this.inbox.logger.info({ mailbox: mailboxOf(this.inbox.config), lastUid: this.#lastUid }, 'imap listener connected')
        client.on('exists', () => this.#schedule(client))
        // A server without IDLE (or one that misses a notice) is still read now and then.
        const poll = setInterval(() => this.#schedule(client), POLL_MS)
        try {
          this.#schedule(client)
          await this.#chain
          await closed // IDLE runs until the connection drops or we stop
        } finally {
          clearInterval(poll)
        }
      } catch (error) {
        if (!this.#stopped) this.inbox.logger.warn({ err: error }, 'imap listener failed')
        client.close()
      }
      if (this.#stopped) break
      this.inbox.logger.info({ retryInMs: this.#backoffMs }, 'imap listener reconnecting')
      await new Promise((resolve) => setTimeout(resolve, this.#backoffMs))
      this.#backoffMs = Math.min(this.#backoffMs * 2, MAX_BACKOFF_MS)
    }
  }

  /** Fetches serialize: an `exists` during a fetch queues one more pass. */
  #schedule(client: ImapFlow) {
    this.#chain = this.#chain
      .then(() => this.#fetchNew(client))
      .catch((error) => {
        this.inbox.logger.warn({ err: error }, 'imap fetch failed; reconnecting')
        client.close()
      })
  }

  async #fetchNew(client: ImapFlow) {
    if (this.#stopped || !client.usable || !client.mailbox) return
    const uidValidity = String(client.mailbox.uidValidity)
    if (this.#uidValidity !== uidValidity) {
      // A new or rebuilt mailbox: old UIDs mean nothing. Take what is unread; Message-IDs keep it single.
      if (this.#uidValidity) this.inbox.logger.warn({ uidValidity }, 'imap UIDVALIDITY changed: rescanning unread mail')
      this.#uidValidity = uidValidity
      this.#lastUid = 0
    }
    const uids = (
      this.#lastUid === 0
        ? ((await client.search({ seen: false }, { uid: true })) || [])
        : ((await client.search({ uid: `${this.#lastUid + 1}:*` }, { uid: true })) || [])
    )
      .filter((uid) => uid > this.#lastUid)
      .sort((a, b) => a - b)
    for (const uid of uids) {
      if (this.#stopped) return
      const message = await client.fetchOne(String(uid), { source: true }, { uid: true })
      if (!message || !message.source) continue
      const mail = await simpleParser(message.source)
      for (const event of mailToEvents(mail, { uid, uidValidity, mailbox: mailboxOf(this.inbox.config) })) {
        await this.sink(event)
      }
      await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true })
      this.#lastUid = uid
      await this.inbox.saveState({ lastUid: uid, uidValidity })
    }
    if (this.#lastUid === 0 && client.mailbox.uidNext) {
      // Nothing unread at first start: remember where the mailbox is, so older mail stays out.
      this.#lastUid = Number(client.mailbox.uidNext) - 1
      await this.inbox.saveState({ lastUid: this.#lastUid, uidValidity })
    }
  }
}
