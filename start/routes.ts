/*
 * The route table, split by audience so each part has one owner:
 *  - health:   liveness and readiness probes
 *  - api:      the public REST API (/api/v1), Bearer tokens or the web session
 *  - channels: inbox management under /api/v1/providers/:providerId and the public webhooks
 *  - realtime: Transmit's SSE endpoints
 *  - web:      the Inertia pages of the agent app (sessions + CSRF)
 */
import '#start/routes/health'
import '#start/routes/api'
import '#start/routes/channels'
import '#start/routes/settings'
import '#start/routes/insights'
import '#start/routes/workflow'
import '#start/routes/realtime'
import '#start/routes/web'
