# The image manifests/k8s/deployment.yaml runs: compiled JavaScript on Node 20,
# production dependencies only, the catalog mounted over /app/config in a cluster.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY config ./config
USER 10001
EXPOSE 3000
ENTRYPOINT ["node", "dist/main.js"]
