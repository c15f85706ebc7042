# The Aftercare worker. TypeScript runs through tsx (a runtime dependency), so the image needs
# no build step; the worker bundles the workflow code when it starts.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
USER node
CMD ["node", "bin/aftercare.js", "worker"]
