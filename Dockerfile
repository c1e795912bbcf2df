# pysec command-line image: `docker run --rm -v "$PWD:/src" -w /src pysec scan .`
# The GitHub App entry point is added by the GitHub App issue.
FROM node:20-bookworm-slim AS build
# tree-sitter's prebuilt binary needs a newer libstdc++ than bookworm ships: compile it.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY docs ./docs
USER node
ENTRYPOINT ["node", "/app/bin/pysec.js"]
