# syntax=docker/dockerfile:1
# Every ARK service's image, from the repository root:
#   docker build --build-arg SERVICE=ark-api --build-arg PORT=8000 -t ark/ark-api .
# SERVICE is a folder under services/, PORT the port its config defaults to; ark-apiserver adds
# HEALTH_SCHEME=https HEALTH_PATH=/health. docker-compose.yaml passes them for each service.
ARG NODE_IMAGE=node:20.20-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG SERVICE
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
RUN test -n "${SERVICE}" || (echo "build arg SERVICE is required (a folder under services/)" >&2; exit 1)
RUN npm i -g pnpm@12.4.2
WORKDIR /repo
# The lockfile alone fills the store, so that layer is cached across source changes (with the patches it names).
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
COPY patches ./patches
RUN pnpm fetch
COPY . .
# Test-only workspace packages (test-stack, testing, ark-apiserver in other services' tests) are installed but not built;
# deploy --prod leaves them out of the image.
RUN pnpm install --offline --frozen-lockfile --filter "@ark/${SERVICE}..." \
 && pnpm --filter-prod "@ark/${SERVICE}..." run build \
 && pnpm --filter "@ark/${SERVICE}" deploy --prod /out

FROM ${NODE_IMAGE} AS runtime
ARG PORT
ARG HEALTH_SCHEME=http
ARG HEALTH_PATH=/ready
# /data: state of the services that keep any (ark-apiserver's CA and token, embedded PostgreSQL, filesys-mcp's files).
# /var/lib/ark: the kubeconfig compose shares; /var/lib/ark-api: the admin key's hash compose's bootstrap writes.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=${PORT} ARK_HOME=/data \
    HEALTHCHECK_URL=${HEALTH_SCHEME}://127.0.0.1:${PORT}${HEALTH_PATH}
RUN test -n "${PORT}" || (echo "build arg PORT is required" >&2; exit 1)
RUN groupadd --system --gid 10001 ark && useradd --system --uid 10001 --gid ark --no-create-home ark \
 && mkdir -p /data /var/lib/ark /var/lib/ark-api && chown ark:ark /data /var/lib/ark /var/lib/ark-api
WORKDIR /app
COPY --from=build --chown=root:root /out ./
USER 10001:10001
VOLUME ["/data"]
EXPOSE ${PORT}
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s CMD ["node", "-e", "const u=new URL(process.env.HEALTHCHECK_URL);require(u.protocol.slice(0,-1)).get(u,{rejectUnauthorized:false},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"]
CMD ["node", "dist/main.js"]
