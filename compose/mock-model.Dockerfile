# syntax=docker/dockerfile:1
# The bundled mock model (packages/testing) for the compose stack. Build from the repository root:
# docker build -f compose/mock-model.Dockerfile -t ark/mock-model .
ARG NODE_IMAGE=node:20.20-bookworm-slim

FROM ${NODE_IMAGE} AS build
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
RUN npm i -g pnpm@12.4.2
WORKDIR /repo
# Manifests first so the dependency layer is cached across source changes.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json ./
COPY patches ./patches
COPY packages/service-kit/package.json packages/service-kit/
COPY packages/types/package.json packages/types/
COPY packages/testing/package.json packages/testing/
RUN pnpm install --frozen-lockfile --filter "@ark/testing..."
COPY packages/service-kit packages/service-kit
COPY packages/types packages/types
COPY packages/testing packages/testing
RUN pnpm --filter "@ark/testing..." run build \
 && pnpm --filter @ark/testing deploy --prod /out

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8099
RUN groupadd --system --gid 10001 ark && useradd --system --uid 10001 --gid ark --no-create-home ark
WORKDIR /app
COPY --from=build --chown=root:root /out ./
USER 10001:10001
EXPOSE 8099
HEALTHCHECK --interval=30s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:8099/v1/models').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/mock-model/main.js"]
