# webex-skill-bot as a container image.
#
#   docker build -t webex-skill-bot .
#   docker run --rm -p 3000:3000 --env-file bot.env --stop-timeout 30 webex-skill-bot
#
# Three stages: `deps` installs the production dependencies only (no dev tools, no install
# scripts); `build` compiles the TypeScript of src/ and skills/ to dist/ once (esbuild, a dev
# dependency); the runtime stage holds the production dependencies, dist/, the cards and
# package.json, and runs as the unprivileged `node` user. It runs the compiled bot — the same
# command as `npm start`, without npm: node is PID 1 and gets `docker stop`'s SIGTERM itself,
# drains the events in flight (SHUTDOWN_TIMEOUT) and exits 0.

ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# --ignore-scripts: nothing runs or downloads at install time. --omit=optional: the optional
# packages in the tree are React Native and MongoDB helpers Node never loads (about 26 MB).
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# esbuild ships its binary as a registry package: no install script needed.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY src ./src
COPY skills ./skills
RUN npm run build

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    SHUTDOWN_TIMEOUT=8
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json ./
COPY --chown=root:root cards ./cards
# The code belongs to root and is read-only for the bot's user.
USER node
EXPOSE 3000
# Liveness: 200 while the process serves HTTP (readiness is /readyz; see the README).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form, node itself (not npm, not sh -c): SIGTERM reaches the process that drains.
CMD ["node", "--no-warnings", "--enable-source-maps", "dist/src/main.js"]
