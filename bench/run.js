#!/usr/bin/env node
/**
 * `npm run bench`: runs every bench/*.bench.ts file (or those named on the command line) one after
 * the other, each in its own Node process with the TypeScript loader, and lets each print its figures.
 * Benchmarks are never part of `npm test`.
 */
import { readdirSync } from 'node:fs'
import { spawnSync } from 'node:child_process'

const dir = new URL('./', import.meta.url)
const wanted = process.argv.slice(2)
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => !wanted.length || wanted.some((w) => name.includes(w)))
  .sort()

if (!files.length) {
  console.log('No benchmark matched.')
  process.exit(0)
}
let failed = 0
for (const file of files) {
  console.log(`\n=== ${file}`)
  const result = spawnSync(process.execPath, ['--import', '@poppinss/ts-exec', `bench/${file}`], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'development' },
  })
  if (result.status !== 0) failed++
}
process.exit(failed ? 1 : 0)
