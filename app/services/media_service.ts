import { spawn } from 'node:child_process'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Readable } from 'node:stream'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import { fileTypeFromBuffer } from 'file-type'
import type { Job } from 'bullmq'
import Attachment from '#models/attachment'
import Inbox from '#models/inbox'
import Message from '#models/message'
import { channels } from '#realtime/channels'
import { PluginError, type OutboundMessage } from '#plugins/sdk'
import inboxes from '#services/inbox_service'
import { currentLogger } from '#services/logging'
import outbox from '#services/outbox_service'
import realtime from '#services/realtime_service'
import { presentAttachment } from '#transformers/message_presenter'

/** Audio every browser plays; anything else gets a converted copy for playback. */
const PLAYABLE_AUDIO = new Set(['audio/mpeg', 'audio/mp3', 'audio/mp4', 'audio/aac', 'audio/x-m4a', 'audio/wav', 'audio/x-wav'])

export type ConversionTarget = 'playback' | 'voice-note'

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'video/mp4': 'mp4',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/webm': 'webm',
  'application/pdf': 'pdf',
}

const baseMime = (mime: string | null | undefined) => (mime ?? '').split(';')[0].trim().toLowerCase()

function safeName(name: string | null | undefined, fallback: string) {
  const cleaned = (name ?? '').replace(/[^\w.\-]+/g, '_').replace(/^\.+/, '').slice(0, 120)
  return cleaned || fallback
}

/**
 * Media of messages: downloads what customers send (through the channel plugin's fetchMedia) into
 * @adonisjs/drive, converts audio with ffmpeg (browser playback of voice notes; a browser recording
 * into the ogg/opus voice note WhatsApp accepts), and opens files for the authorized media route and
 * for outbound sends. Storage keys never leave the server.
 */
export class MediaService {
  keyFor(attachment: Pick<Attachment, 'providerId' | 'id'>, name: string) {
    return `providers/${attachment.providerId}/attachments/${attachment.id}/${name}`
  }

  /** The `media.download` job. */
  async download(attachmentId: number) {
    const attachment = await Attachment.find(attachmentId)
    if (!attachment || attachment.status === 'ready' || !attachment.messageId) return 'skipped'
    const message = await Message.findOrFail(attachment.messageId)
    const inbox = await Inbox.findOrFail(message.inboxId)
    const adapter = inboxes.adapterOf(inbox)
    let fetched: Awaited<ReturnType<typeof adapter.fetchMedia>>
    try {
      fetched = await adapter.fetchMedia(attachment.source as any, inboxes.contextFor(inbox))
    } catch (error) {
      if (error instanceof PluginError && !error.retryable) {
        await this.#finish(attachment, { status: 'failed' })
        return 'failed'
      }
      throw error
    }
    const bytes = await this.#collect(fetched.stream)
    const sniffed = await fileTypeFromBuffer(bytes)
    // Trust the bytes over the declared type (a ".jpg" may be anything).
    const mime = sniffed?.mime ?? baseMime(fetched.mime) ?? baseMime(attachment.mime)
    const extension = sniffed?.ext ?? EXTENSIONS[mime] ?? 'bin'
    const key = this.keyFor(attachment, `original.${extension}`)
    await drive.use().put(key, bytes)
    await this.#finish(attachment, {
      status: 'ready',
      storageKey: key,
      mime,
      size: bytes.length,
      fileName: attachment.fileName ?? fetched.fileName ?? null,
    })
    if ((attachment.kind === 'voice' || attachment.kind === 'audio') && !PLAYABLE_AUDIO.has(mime)) {
      await db.transaction(async (trx) => {
        await outbox.add(trx, {
          providerId: attachment.providerId,
          queue: 'media',
          jobName: 'media.convert',
          jobId: `media-convert-${attachment.id}-playback`,
          payload: { providerId: attachment.providerId, attachmentId: attachment.id, target: 'playback' },
        })
      })
    }
    return 'ready'
  }

  /** An upload from the agent app: stored at once; a browser voice recording is converted first. */
  async upload(providerId: number, userId: number | null, file: { path: string; fileName: string; voice?: boolean }) {
    const bytes = await readFile(file.path)
    const sniffed = await fileTypeFromBuffer(bytes)
    const mime = sniffed?.mime ?? 'application/octet-stream'
    const kind = file.voice
      ? 'voice'
      : mime.startsWith('image/')
        ? 'image'
        : mime.startsWith('video/')
          ? 'video'
          : mime.startsWith('audio/')
            ? 'audio'
            : 'document'
    const needsVoiceConversion = kind === 'voice' && mime !== 'audio/ogg'
    return db.transaction(async (trx) => {
      const attachment = await Attachment.create(
        {
          providerId,
          uploadedById: userId,
          kind,
          mime,
          fileName: safeName(file.fileName, `upload.${sniffed?.ext ?? 'bin'}`),
          size: bytes.length,
          status: needsVoiceConversion ? 'pending' : 'ready',
          source: {},
        },
        { client: trx }
      )
      attachment.storageKey = this.keyFor(attachment, `original.${sniffed?.ext ?? 'bin'}`)
      await drive.use().put(attachment.storageKey, bytes)
      await attachment.useTransaction(trx).save()
      if (needsVoiceConversion) {
        await outbox.add(trx, {
          providerId,
          queue: 'media',
          jobName: 'media.convert',
          jobId: `media-convert-${attachment.id}-voice-note`,
          payload: { providerId, attachmentId: attachment.id, target: 'voice-note' },
        })
      }
      return attachment
    })
  }

  /** The `media.convert` job: ffmpeg with progress reported on the job. */
  async convert(attachmentId: number, target: ConversionTarget, job?: Pick<Job, 'updateProgress'>) {
    const attachment = await Attachment.find(attachmentId)
    if (!attachment?.storageKey) return 'skipped'
    if (target === 'playback' && attachment.playbackKey) return 'done'
    if (target === 'voice-note' && attachment.status === 'ready') return 'done'
    const dir = await mkdtemp(join(tmpdir(), 'niochat-media-'))
    try {
      const input = join(dir, 'input')
      await pipeline(await drive.use().getStream(attachment.storageKey), createWriteStream(input))
      const output = join(dir, target === 'playback' ? 'playback.mp3' : 'voice.ogg')
      const args =
        target === 'playback'
          ? ['-vn', '-c:a', 'libmp3lame', '-b:a', '64k']
          : ['-vn', '-c:a', 'libopus', '-b:a', '32k', '-ar', '48000', '-ac', '1', '-application', 'voip']
      const durationMs = await runFfmpeg(input, output, args, (percent) => job?.updateProgress(percent))
      const key = this.keyFor(attachment, target === 'playback' ? 'playback.mp3' : 'voice.ogg')
      await drive.use().putStream(key, createReadStream(output))
      const size = (await stat(output)).size
      if (target === 'playback') {
        await this.#finish(attachment, { playbackKey: key, durationMs: attachment.durationMs ?? durationMs })
      } else {
        await this.#finish(attachment, {
          status: 'ready',
          storageKey: key,
          mime: 'audio/ogg',
          size,
          durationMs: durationMs ?? attachment.durationMs,
          fileName: (attachment.fileName ?? 'voice').replace(/\.\w+$/, '') + '.ogg',
        })
      }
      return 'done'
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  /** Opens a stored file for the media route. */
  async open(attachment: Attachment, variant: 'original' | 'playback') {
    const key = variant === 'playback' && attachment.playbackKey ? attachment.playbackKey : attachment.storageKey
    if (!key || attachment.status !== 'ready') return null
    const mime = key === attachment.playbackKey ? 'audio/mpeg' : (attachment.mime ?? 'application/octet-stream')
    return { stream: await drive.use().getStream(key), mime, fileName: attachment.fileName }
  }

  outboundMediaOf(attachment: Attachment): NonNullable<OutboundMessage['media']> {
    const key = attachment.storageKey!
    return {
      stream: () => drive.use().getStream(key),
      mime: attachment.mime ?? 'application/octet-stream',
      ...(attachment.fileName ? { fileName: attachment.fileName } : {}),
      ...(attachment.size ? { size: Number(attachment.size) } : {}),
    }
  }

  async #collect(stream: Readable) {
    const chunks: Buffer[] = []
    for await (const chunk of stream) chunks.push(Buffer.from(chunk))
    return Buffer.concat(chunks)
  }

  async #finish(attachment: Attachment, patch: Partial<Attachment>) {
    await db.transaction(async (trx) => {
      attachment.useTransaction(trx)
      attachment.merge(patch)
      await attachment.save()
      // An upload is often linked to its message while it is still converting: the instance loaded
      // before the conversion may not know the message yet, the row (read after our update) does.
      const messageId =
        attachment.messageId ?? (await Attachment.query({ client: trx }).where('id', attachment.id).select('messageId').first())?.messageId
      if (!messageId) return
      const message = await Message.find(messageId, { client: trx })
      if (!message) return
      await realtime.publish(
        {
          providerId: attachment.providerId,
          audience: channels.conversation(attachment.providerId, message.conversationId),
          event: 'attachment.updated',
          payload: { messageId: Number(message.id), attachment: presentAttachment(attachment) },
        },
        trx
      )
    })
  }
}

/** Runs ffmpeg, reporting progress (0–100) from its `-progress` output; resolves with the duration. */
function runFfmpeg(input: string, output: string, args: string[], onProgress: (percent: number) => unknown) {
  return new Promise<number | null>((resolve, reject) => {
    const child = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-y', '-i', input, ...args, '-progress', 'pipe:1', output])
    let durationMs: number | null = null
    let stderr = ''
    let lastPercent = -1
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk.toString()).slice(-4000)
      const match = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(stderr)
      if (match && durationMs === null) {
        durationMs = Math.round(((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3])) * 1000)
      }
    })
    child.stdout.on('data', (chunk) => {
      const match = /out_time_(?:ms|us)=(\d+)/.exec(chunk.toString())
      if (match && durationMs) {
        const percent = Math.min(99, Math.floor(Number(match[1]) / 1000 / durationMs * 100))
        if (percent > lastPercent) {
          lastPercent = percent
          Promise.resolve(onProgress(percent)).catch(() => {})
        }
      }
    })
    child.on('error', (error) => reject(new Error(`ffmpeg could not start: ${error.message}`)))
    child.on('close', (code) => {
      if (code !== 0) {
        currentLogger().warn({ code, stderr: stderr.slice(-500) }, 'ffmpeg failed')
        return reject(new Error(`ffmpeg exited with code ${code}`))
      }
      Promise.resolve(onProgress(100)).catch(() => {})
      resolve(durationMs)
    })
  })
}

const media = new MediaService()
export default media
