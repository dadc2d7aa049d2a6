import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A real voice note: 1 s of tone encoded as ogg/opus by ffmpeg. */
export function oggVoiceNote() {
  const dir = mkdtempSync(join(tmpdir(), 'niochat-test-'))
  const file = join(dir, 'voice.ogg')
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'libopus', file])
  return readFileSync(file)
}
