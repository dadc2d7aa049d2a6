import type { ImapFlowOptions } from 'imapflow'
import nodemailer from 'nodemailer'

export interface EmailConfig {
  imapHost: string
  imapPort?: number
  imapTls?: 'tls' | 'starttls' | 'none'
  smtpHost: string
  smtpPort?: number
  smtpTls?: 'tls' | 'starttls' | 'none'
  user: string
  password: string
  fromAddress?: string
  fromName?: string
  mailbox?: string
}

export function imapOptions(config: EmailConfig): ImapFlowOptions {
  const mode = config.imapTls ?? 'tls'
  return {
    host: config.imapHost,
    port: config.imapPort ?? (mode === 'tls' ? 993 : 143),
    secure: mode === 'tls',
    doSTARTTLS: mode === 'starttls' ? true : mode === 'none' ? false : undefined,
    auth: { user: config.user, pass: config.password },
    logger: false,
    // IDLE starts a second after the last command (imapflow waits 15 s by default): new mail shows at once.
    autoIdleDelay: 1000,
    connectionTimeout: 20_000,
    greetingTimeout: 15_000,
    socketTimeout: 5 * 60_000,
  }
}

export function smtpTransport(config: EmailConfig) {
  const mode = config.smtpTls ?? 'starttls'
  return nodemailer.createTransport({
    host: config.smtpHost,
    port: config.smtpPort ?? (mode === 'tls' ? 465 : 587),
    secure: mode === 'tls',
    requireTLS: mode === 'starttls',
    ignoreTLS: mode === 'none',
    auth: { user: config.user, pass: config.password },
    connectionTimeout: 20_000,
  })
}

export const mailboxOf = (config: EmailConfig) => config.mailbox || 'INBOX'
export const fromAddressOf = (config: EmailConfig) => config.fromAddress || config.user
