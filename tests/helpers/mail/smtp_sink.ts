import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'
import type { AddressInfo } from 'node:net'

/**
 * A real SMTP server on loopback that accepts one user's login and keeps every message it receives,
 * parsed, for the tests to read (what an agent's answer looked like on the wire).
 */
export class SmtpSink {
  readonly received: { envelope: { from: string; to: string[] }; mail: ParsedMail; raw: string }[] = []
  port = 0
  #server: SMTPServer

  constructor(
    readonly user: string,
    readonly password: string
  ) {
    this.#server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username === this.user && auth.password === this.password) return callback(null, { user: auth.username })
        callback(new Error('535 Authentication failed'))
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = []
        stream.on('data', (chunk: Buffer) => chunks.push(chunk))
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks).toString('utf8')
          this.received.push({
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            },
            mail: await simpleParser(raw),
            raw,
          })
          callback()
        })
      },
    })
  }

  async start() {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve))
    this.port = (this.#server.server.address() as AddressInfo).port
    return this
  }

  async close() {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }
}
