# pysec: the GitHub App (the default command) and the CLI, in one image.
#   docker build -t pysec .
#   App: docker run -e APP_ID -e PRIVATE_KEY -e WEBHOOK_SECRET -p 3000:3000 pysec
#   CLI: docker run --rm -v "$PWD:/src" -w /src pysec pysec scan .
#
# Both stages use the same base image: the tree-sitter binding compiled in the build stage is
# linked against that image's glibc/libstdc++ and Node ABI, so it runs unchanged in the final one.

# ---- build: install, compile the native binding and the TypeScript, drop dev dependencies ----
FROM node:22-bookworm-slim AS build
# tree-sitter 0.25 ships no binary usable here (its linux-x64 prebuild needs libstdc++
# GLIBCXX_3.4.31; bookworm has 3.4.30), so node-gyp compiles it: python3, make and g++.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies first, so the slow native build is cached until package-lock.json changes.
# --ignore-scripts skips `prepare` (tsc needs the sources copied below); `npm rebuild` then runs
# the dependencies' install scripts, i.e. compiles tree-sitter.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild --no-audit --no-fund
# pysec's own addon (parse + flatten in C, see native/flat.c), against the tree-sitter just
# installed. With this image's GCC it is the profile-guided build: scripts/build-native.mjs
# trains it on native/pgo/train.py first.
COPY native/binding.gyp native/flat.c native/arena.c native/arena.h native/runtime.c ./native/
COPY native/pgo ./native/pgo
COPY scripts/build-native.mjs ./scripts/
RUN npm run build:native
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
# The production tree is the installed tree minus dev dependencies (`npm prune --omit=dev`).
# Running `npm ci --omit=dev` in the final stage instead would need a compiler there too and
# would compile tree-sitter a second time; pruning here keeps the final image compiler-free.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# ---- final: runtime only, non-root ----------------------------------------------------------
FROM node:22-bookworm-slim
# tini as PID 1 forwards SIGTERM (docker stop) to Node, which would ignore it as PID 1.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Probot binds localhost unless HOST is set: a container must listen on all interfaces.
# `probot run` logs pretty text unless LOG_FORMAT=json (NODE_ENV does not change that).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/native/build/Release/pysec_tree.node ./native/build/Release/pysec_tree.node
# app.yml: Probot's setup page registers the app from it; package.json: name, version, `npm start`.
COPY package.json app.yml ./
COPY bin ./bin
COPY docs ./docs
# `pysec` on the PATH for the CLI (files stay owned by root: the app cannot modify itself).
RUN ln -s /app/bin/pysec.js /usr/local/bin/pysec
USER node
EXPOSE 3000
# The server answers GET /ping with "PONG".
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/ping', { signal: AbortSignal.timeout(4000) }).then(async (r) => process.exit(r.ok && (await r.text()) === 'PONG' ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# The same as `npm start`, without npm in between (signals reach Node directly).
CMD ["node", "dist/start.js"]
