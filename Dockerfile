# syntax=docker/dockerfile:1
# Privacy facts API. Build from the repository root:
#   docker build -t privacy-facts-api .
# One image serves both the API (the default command) and the one-off
# `npm run db:migrate` / `npm run db:seed` (see deploy/compose.yaml).

ARG NODE_IMAGE=node:20-bookworm-slim

# --- deps: production dependencies and the generated Prisma client ----------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# Only what `npm ci` and its postinstall (scripts/prisma-generate.ts, `prisma
# generate` without downloading an engine) read, so that editing the source does
# not invalidate the install layer.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma-generate.ts scripts/schema-engine-stand-in.sh ./scripts/
# Dev dependencies are left out: tsx (start, db:migrate, db:seed, postinstall) and
# the prisma CLI (generate) are regular dependencies; db:migrate is the project's
# own migrator, which needs no Prisma CLI at all.
# postinstall writes the client to src/db/generated/.
RUN npm ci --omit=dev && npm cache clean --force

# --- runtime ------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
# `npm run db:migrate` in a container should not look for a newer npm.
ENV NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts tsconfig.json ./
COPY prisma ./prisma
COPY src ./src
COPY scripts ./scripts
COPY manifests ./manifests
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/src/db/generated ./src/db/generated
# Code stays root-owned (read-only to the server); only the embedded database's
# default directory (DATA_DIR=./data, used when DATABASE_URL is unset) is writable.
RUN mkdir -p data && chown node:node data
# The official image's unprivileged user; its home takes npm's and tsx's caches.
USER node
EXPOSE 4000
# Liveness only (no database involved); /ready also checks the database.
# Slim images have no curl, so node's own fetch does the request.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself as PID 1, not npm, so SIGTERM reaches the server's orderly stop.
CMD ["node", "--import", "tsx", "src/server.ts"]
