# The Aftercare worker. TypeScript runs through tsx (a runtime dependency), so the image needs
# no build step (bin/compile.js, the prepare script, finds no compiler without the dev
# dependencies and leaves the sources to tsx); the worker bundles the workflow code when it starts.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# `npm ci` runs the prepare script: it must be there (with nothing else yet, it compiles nothing).
COPY bin/compile.js bin/
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
USER node
CMD ["node", "bin/aftercare.js", "worker"]
