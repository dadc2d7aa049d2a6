import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * Recorded upstream payloads live in the shared folder beside the repository (`../shared/fixtures`);
 * FIXTURES_DIR points elsewhere when the layout differs.
 */
export const FIXTURES_DIR =
  process.env.FIXTURES_DIR ?? fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url))

export function fixtureText(name: string): string {
  return readFileSync(`${FIXTURES_DIR.replace(/\/?$/, '/')}${name}`, 'utf8')
}

/** A fresh parsed copy each call, so a test may mutate it (change ids, phones...) freely. */
export function fixture<T = any>(name: string): T {
  return JSON.parse(fixtureText(name)) as T
}
