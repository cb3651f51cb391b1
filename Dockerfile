# dentfarm render worker: Node, Debian's Chromium, fonts and the app.
# Runs as a non-root user with Chromium's sandbox available; on a GPU node
# run with the NVIDIA container runtime (NVIDIA_DRIVER_CAPABILITIES=graphics,
# compute,utility) and pass --gl egl or --gl vulkan.
FROM node:20-bookworm-slim

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      chromium fonts-dejavu-core libegl1 libgl1 libgles2 libvulkan1 mesa-vulkan-drivers \
 && rm -rf /var/lib/apt/lists/*

ENV DENTFARM_CHROMIUM=/usr/bin/chromium \
    NVIDIA_DRIVER_CAPABILITIES=graphics,compute,utility

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY . .
RUN npm run build && npm prune --omit=dev

RUN useradd --create-home --uid 10001 dentfarm && chown -R dentfarm /app
USER dentfarm

ENTRYPOINT ["node", "/app/bin/dentfarm.js"]
CMD ["render", "configs/default.json", "--out", "/data/out"]
