# syntax=docker/dockerfile:1
# crm-consulta-bot: one image, running `node bin/start.mjs` (TypeScript through tsx, no build step).
# Build: docker build -t crm-consulta-bot .      Run: see docker-compose.yml
FROM node:24-bookworm-slim

WORKDIR /app
RUN mkdir -p /data && chown node:node /app /data
USER node

# Dependencies first, for layer caching. `npm ci` runs the postinstall hook, which generates the Prisma
# client into src/generated/prisma offline; it needs the schema, its config and the script.
# devDependencies are installed on purpose: the Prisma CLI that generates the client is one of them.
COPY --chown=node:node package.json package-lock.json prisma.config.ts ./
COPY --chown=node:node scripts ./scripts
COPY --chown=node:node prisma ./prisma
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY --chown=node:node . .

ENV NODE_ENV=production \
    PORT=3000 \
    CRM_DATA_DIR=/data
# The embedded database (used when DATABASE_URL is not set) lives here.
VOLUME ["/data"]
EXPOSE 3000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Node runs directly, not through npm, so that SIGTERM reaches the bot itself: it stops taking Slack requests
# (503), drains the work in flight (up to 20 s), then closes the job workers, the queues and the database.
# Anything it could not finish is in the inbox table and replayed at the next start. A second SIGTERM is
# ignored. Allow it time to stop (compose `stop_grace_period: 60s`, `docker stop -t 60`), and run it with an
# init process (compose `init: true`, or `docker run --init`) so PID 1 reaps children and forwards signals.
STOPSIGNAL SIGTERM
CMD ["node", "bin/start.mjs"]
