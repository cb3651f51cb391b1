# dentfarm render worker: Node, Debian's Chromium, fonts and the app.
# Runs as a non-root user with Chromium's sandbox available; on a GPU node
# run with the NVIDIA container runtime (NVIDIA_DRIVER_CAPABILITIES=graphics,
# compute,utility), a larger /dev/shm (--shm-size=2g) and --gl egl or
# --gl vulkan; `dentfarm doctor --gl egl` says whether the GPU is used.
# deploy/ has a Kubernetes Indexed Job and an AWS Batch array job.
FROM node:20-bookworm-slim

# GPU userspace for ANGLE: EGL/GLES and the Vulkan loader (CPU rendering
# with SwiftShader needs none of it).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libegl1 libgl1 libgles2 libvulkan1 mesa-vulkan-drivers \
 && rm -rf /var/lib/apt/lists/*

# Where the NVIDIA runtime's driver libraries are found by EGL and Vulkan
# (the runtime mounts the libraries with the graphics capability, not
# always these vendor files).
RUN mkdir -p /usr/share/glvnd/egl_vendor.d /etc/vulkan/icd.d \
 && echo '{"file_format_version":"1.0.0","ICD":{"library_path":"libEGL_nvidia.so.0"}}' > /usr/share/glvnd/egl_vendor.d/10_nvidia.json \
 && echo '{"file_format_version":"1.0.0","ICD":{"library_path":"libGLX_nvidia.so.0","api_version":"1.3"}}' > /etc/vulkan/icd.d/nvidia_icd.json

ENV DENTFARM_CHROMIUM=/usr/bin/chromium \
    NVIDIA_DRIVER_CAPABILITIES=graphics,compute,utility

WORKDIR /app
COPY . .
# The same set-up CI runs (.ci/run): Debian's chromium and fonts, npm ci,
# the build; then the dev dependencies go.
RUN bash scripts/setup.sh \
 && npm prune --omit=dev \
 && rm -rf /var/lib/apt/lists/* /root/.npm

# Chromium's sandbox stays on: it needs no root, only user namespaces.
# The default seccomp profile of Docker and containerd refuses those, so run
# with a seccomp profile that allows them (deploy/kubernetes does), or pass
# --no-sandbox and let the container be the boundary (deploy/aws-batch does).
RUN useradd --create-home --uid 10001 dentfarm && chown -R dentfarm /app
USER dentfarm

ENTRYPOINT ["node", "/app/bin/dentfarm.js"]
CMD ["render", "configs/default.json", "--out", "/data/out"]
