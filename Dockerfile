# syntax=docker/dockerfile:1
# NioChat production image: one image, three roles chosen by the command (see docker-compose.yml):
#   node bin/server.js              the web server (HTTP, webhooks, realtime)
#   node ace queue:work             the background worker
#   node ace migration:run --force  the one-shot migration step

FROM node:24-bookworm-slim AS base
WORKDIR /app

# All dependencies, to compile TypeScript and bundle the front end.
FROM base AS build-deps
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund

FROM build-deps AS build
COPY . .
RUN node ace build

# Production dependencies only.
FROM base AS production-deps
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM base AS runtime
# ffmpeg converts voice notes (browser webm/opus -> WhatsApp ogg/opus) and audio for playback.
RUN apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg ca-certificates \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3333
COPY --from=production-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/build ./
# Local media storage (DRIVE_DISK=fs); mount a volume here.
RUN mkdir -p /app/storage /app/tmp && chown -R node:node /app/storage /app/tmp
USER node
EXPOSE 3333
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3333) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "bin/server.js"]
