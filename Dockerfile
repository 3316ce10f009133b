# The Tidemark engine image: `tidemark run` as a non-root user, with only the engine's production
# dependencies. Build from the repository root:
#
#   docker build -t tidemark:dev .
#   docker run -p 8080:8080 -p 9000:9000 -v tidemark-data:/data tidemark:dev
#   docker run ... -v $PWD/pipelines:/etc/tidemark:ro tidemark:dev run --config /etc/tidemark
#
# On a machine that reaches no image registry, `npx tidemark-chaos images build` builds it from a
# local Node 20 base instead (the same file, with --build-arg NODE_IMAGE=tidemark-local/node:20).
#
# The API and metrics listen on all interfaces inside the container (TIDEMARK_API_ADDR,
# TIDEMARK_METRICS_ADDR); set TIDEMARK_API_TOKEN to require a bearer token on the API.
# No `# syntax=` line on purpose: it would make BuildKit pull a frontend image before anything else.

# Any Debian bookworm image with Node 20+, npm, its headers and a `node` user (uid 1000).
ARG NODE_IMAGE=node:20-bookworm-slim

# 1. Compile the engine (TypeScript and the dev toolchain live only in this stage).
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY engine/package.json engine/tsconfig.json engine/
COPY chaos/package.json chaos/
# --ignore-scripts: the root `prepare` script would compile the whole repo before the sources
# exist, and native modules are built in the next stage only.
RUN npm ci --workspace engine --include-workspace-root --ignore-scripts --no-audit --no-fund
COPY engine/src engine/src
RUN npx tsc -p engine/tsconfig.json

# 2. Production dependencies of the engine only, with the native modules built: better-sqlite3,
# isolated-vm (javascript processors), and the librdkafka client linked against Debian's
# libraries (CKJS_LINKING=dynamic; its default static build downloads OpenSSL, zlib and zstd
# sources, which not every build machine can reach).
FROM ${NODE_IMAGE} AS deps
WORKDIR /src
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
      libssl-dev zlib1g-dev libzstd-dev liblz4-dev libsasl2-dev libcurl4-openssl-dev \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY engine/package.json engine/
COPY chaos/package.json chaos/
ENV CKJS_LINKING=dynamic
RUN npm ci --workspace engine --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 isolated-vm @confluentinc/kafka-javascript \
 && node -e "require('@confluentinc/kafka-javascript'); require('better-sqlite3'); require('isolated-vm')" \
 && npm cache clean --force

# 3. Runtime: no compiler, no dev dependencies, no sources; runs as the image's `node` user.
FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends libssl3 zlib1g libzstd1 liblz4-1 libsasl2-2 libcurl4 \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    TIDEMARK_API_ADDR=0.0.0.0:8080 \
    TIDEMARK_METRICS_ADDR=0.0.0.0:9000 \
    TIDEMARK_DATA_DIR=/data
WORKDIR /app
COPY --from=deps /src/node_modules ./node_modules
COPY --from=build /src/engine/dist ./engine/dist
COPY engine/package.json ./engine/package.json
COPY engine/bin ./engine/bin
# --no-node-snapshot in the ENTRYPOINT: isolated-vm (javascript processors) needs it on Node 20+.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080 9000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "--no-node-snapshot", "/app/engine/bin/tidemark.js"]
CMD ["run"]
