# syntax=docker/dockerfile:1
#
# The Tidemark engine image: `tidemark run` as a non-root user, with only the engine's production
# dependencies. Build from the repository root:
#
#   docker build -t tidemark:dev .
#   docker run -p 8080:8080 -p 9000:9000 -v tidemark-data:/data tidemark:dev
#   docker run ... -v $PWD/pipelines:/etc/tidemark:ro tidemark:dev run --config /etc/tidemark
#
# The API and metrics listen on all interfaces inside the container (TIDEMARK_API_ADDR,
# TIDEMARK_METRICS_ADDR); set TIDEMARK_API_TOKEN to require a bearer token on the API.

ARG NODE_VERSION=20

# 1. Compile the engine (TypeScript and the dev toolchain live only in this stage).
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /src
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY engine/package.json engine/tsconfig.json engine/
COPY chaos/package.json chaos/
# --ignore-scripts: the root `prepare` script would compile the whole repo before the sources exist.
RUN npm ci --workspace engine --include-workspace-root --ignore-scripts
COPY engine/src engine/src
RUN npx tsc -p engine/tsconfig.json

# 2. Production dependencies of the engine only, with native modules (better-sqlite3, isolated-vm) built.
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /src
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY engine/package.json engine/
COPY chaos/package.json chaos/
# The optional librdkafka client may fail to build; the Kafka sink then uses kafkajs (client: auto).
RUN npm ci --workspace engine --omit=dev --ignore-scripts \
 && npm rebuild better-sqlite3 \
 && npm rebuild isolated-vm \
 && (npm rebuild @confluentinc/kafka-javascript || echo "optional @confluentinc/kafka-javascript not built") \
 && npm cache clean --force

# 3. Runtime: no compiler, no dev dependencies, no sources; runs as the image's `node` user.
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
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
