# The image manifests/k8s runs: compiled JavaScript (`node dist/main.js`, no tsx) on
# Node 24 LTS (supported until 2028-04-30; Node 20 reached its end of life on
# 2026-04-30), production dependencies only, the catalog mounted over /app/config in a
# cluster. The tag is exact, so a rebuild is the same runtime; it is listed on
# https://hub.docker.com/_/node/tags. test/manifests/dockerfile.test.ts checks all this.
FROM node:24.20.0-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:24.20.0-trixie-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY config ./config
USER 10001
EXPOSE 3000 3001
# For docker and compose; Kubernetes uses the Deployments' probes instead. A worker
# (MAESTRO_ROLE=worker) answers on HEALTH_PORT, the web role on PORT.
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const e=process.env,p=e.MAESTRO_ROLE==='worker'?(e.HEALTH_PORT||3001):(e.PORT||3000);fetch('http://127.0.0.1:'+p+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "dist/main.js"]
