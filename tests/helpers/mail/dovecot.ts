import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Socket } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { freePort } from '#tests/helpers/ports'

/** Where Debian's dovecot-imapd puts the server (installed by .ci/run). */
export const DOVECOT_BINARY = process.env.DOVECOT_BINARY ?? '/usr/sbin/dovecot'
export const dovecotAvailable = () => existsSync(DOVECOT_BINARY)

/** Owner of the mail files: Dovecot will not deliver as root, so root runs tests with Debian's `dovecot` user. */
function mailOwner() {
  const me = userInfo()
  if (me.uid !== 0) return { uid: me.uid, gid: me.gid, internal: me.username }
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.startsWith('dovecot:'))
  const [, , uid, gid] = line?.split(':') ?? []
  return { uid: Number(uid ?? 65534), gid: Number(gid ?? 65534), internal: 'dovecot' }
}

/**
 * A real IMAP server for tests: Dovecot with its own configuration, mail directory and port on
 * loopback, one user with a password. It can be stopped and started again (the listener's
 * reconnection test), and mail can be dropped straight into the Maildir while it is down, as a local
 * delivery agent would.
 */
export class TestDovecot {
  readonly user = 'atendimento@provedor.test'
  readonly password = 'imap-secret-' + randomBytes(4).toString('hex')
  port = 0
  readonly dir = mkdtempSync(join(tmpdir(), 'niochat-dovecot-'))
  readonly #owner = mailOwner()

  get config() {
    return join(this.dir, 'dovecot.conf')
  }

  get maildir() {
    return join(this.dir, 'home', this.user, 'Maildir')
  }

  async start() {
    if (!this.port) {
      this.port = await freePort()
      this.#writeConfig()
    }
    // The daemon keeps whatever stdio it inherits open: give it none (its errors go to its log file).
    const result = spawnSync(DOVECOT_BINARY, ['-c', this.config], { stdio: 'ignore' })
    if (result.status !== 0) throw new Error(`dovecot did not start (exit ${result.status}); see ${join(this.dir, 'dovecot.log')}`)
    await this.#waitForPort(true)
    return this
  }

  async stop() {
    spawnSync(DOVECOT_BINARY, ['-c', this.config, 'stop'], { stdio: 'ignore' })
    await this.#waitForPort(false)
  }

  async destroy() {
    await this.stop().catch(() => {})
    rmSync(this.dir, { recursive: true, force: true })
  }

  /** Delivers a raw message into the inbox's Maildir (works while the server is down). */
  deliverToMaildir(raw: string) {
    const name = `${Date.now()}.${randomBytes(6).toString('hex')}.niochat-test`
    const tmp = join(this.maildir, 'tmp', name)
    writeFileSync(tmp, raw.replace(/\r?\n/g, '\n'))
    chownSync(tmp, this.#owner.uid, this.#owner.gid)
    spawnSync('mv', [tmp, join(this.maildir, 'new', name)])
  }

  #writeConfig() {
    const { uid, gid, internal } = this.#owner
    for (const sub of ['run', 'state', join('home', this.user, 'Maildir', 'new'), join('home', this.user, 'Maildir', 'cur'), join('home', this.user, 'Maildir', 'tmp')]) {
      mkdirSync(join(this.dir, sub), { recursive: true })
    }
    chmodSync(this.dir, 0o755)
    spawnSync('chown', ['-R', `${uid}:${gid}`, join(this.dir, 'home')])
    writeFileSync(join(this.dir, 'users'), `${this.user}:{PLAIN}${this.password}:${uid}:${gid}::${join(this.dir, 'home', this.user)}\n`)
    writeFileSync(
      this.config,
      [
        'protocols = imap',
        'listen = 127.0.0.1',
        `base_dir = ${join(this.dir, 'run')}`,
        `state_dir = ${join(this.dir, 'state')}`,
        `instance_name = niochat-test-${this.port}`,
        `log_path = ${join(this.dir, 'dovecot.log')}`,
        `default_internal_user = ${internal}`,
        `default_login_user = ${userInfo().uid === 0 ? 'dovenull' : internal}`,
        'ssl = no',
        'disable_plaintext_auth = no',
        'auth_mechanisms = plain login',
        `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${join(this.dir, 'users')}\n}`,
        `userdb {\n  driver = passwd-file\n  args = username_format=%u ${join(this.dir, 'users')}\n}`,
        'mail_location = maildir:~/Maildir',
        // Tell IDLE clients about new mail within a second (the default checks every 30 s without inotify).
        'mailbox_idle_check_interval = 1 secs',
        `first_valid_uid = ${Math.min(uid, 100)}`,
        `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${this.port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
        'service stats {\n  unix_listener stats-reader {\n    mode = 0666\n  }\n  unix_listener stats-writer {\n    mode = 0666\n  }\n}',
        '',
      ].join('\n')
    )
  }

  async #waitForPort(open: boolean) {
    for (let i = 0; i < 100; i++) {
      const reachable = await new Promise<boolean>((resolve) => {
        const socket = new Socket()
        socket.once('connect', () => (socket.destroy(), resolve(true)))
        socket.once('error', () => resolve(false))
        socket.connect(this.port, '127.0.0.1')
      })
      if (reachable === open) return
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error(`dovecot did not ${open ? 'open' : 'close'} port ${this.port}`)
  }
}
