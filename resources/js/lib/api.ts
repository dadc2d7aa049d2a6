/**
 * The web app calls the same JSON API as integrations, with its session cookie; writes carry the
 * XSRF token Shield put in a cookie (the API only skips CSRF for Bearer calls).
 */
function xsrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]+)/)
  return match ? decodeURIComponent(match[1]) : ''
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly errors: { message: string; field?: string }[]
  ) {
    super(errors[0]?.message ?? `HTTP ${status}`)
  }
}

export async function api<T = any>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(`/api/v1${path}`, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers: {
      'accept': 'application/json',
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.method && init.method !== 'GET' ? { 'x-xsrf-token': xsrfToken() } : {}),
    },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  })
  if (response.status === 204) return undefined as T
  const payload = await response.json().catch(() => ({}))
  if (!response.ok) throw new ApiFailure(response.status, payload.errors ?? [])
  return payload as T
}
