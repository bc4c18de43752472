# syntax=docker/dockerfile:1
#
# reportbot: a static binary (the report and the lexicon are embedded) on
# distroless. Build and run:
#
#   docker build -t reportbot .
#   docker run --rm -e TELEGRAM_TOKEN=… -p 8080:8080 reportbot
#   docker run --rm reportbot ask "2024年GDP增长目标是多少?"
#
# The image has not been built in CI: Docker is not available on the
# development machine (see README, "Docker").

# ---- build ---------------------------------------------------------------
# Bookworm, to match the Debian 12 runtime image below (the plain 1.26 tag
# follows Debian's newest release).
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS build
WORKDIR /src

# Modules first, in a layer of their own: it is rebuilt only when go.mod or
# go.sum change, not on every source edit.
COPY go.mod go.sum ./
RUN go mod download && go mod verify

COPY . .
# BuildKit (the default builder since Docker 23; RUN --mount needs it) sets
# TARGETOS/TARGETARCH, so `docker buildx build --platform linux/arm64 .`
# cross-compiles on the build machine instead of emulating it.
ARG TARGETOS
ARG TARGETARCH
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /out/reportbot ./cmd/reportbot

# The embedded report's search index, built once here so that a container
# starts by opening it (INDEX_DIR=/index below) instead of building it.
# `reportbot index` builds it, run as a binary for the build machine: the
# target's may not run here, and the index files are the same on every
# little-endian platform (amd64, arm64).
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -o /tmp/reportbot-build ./cmd/reportbot && \
    INDEX_DIR=/out/index /tmp/reportbot-build index

# ---- run -----------------------------------------------------------------
# distroless/static: CA certificates (for api.telegram.org and rediss://),
# tzdata (DIGEST_TZ), /etc/passwd with the nonroot user (65532); no shell.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/reportbot /reportbot
# Owned by nonroot, so that with a mounted REPORTS_DIR the bot can save
# the new corpus version's index beside it (and a named volume mounted on
# /index starts as a copy of it, writable the same way). Where /index
# cannot be written (a read-only root file system), the saved index still
# opens read-only, and other reports are indexed in a temporary folder.
COPY --from=build --chown=65532:65532 /out/index /index
ENV INDEX_DIR=/index
USER nonroot:nonroot

# 8080: HTTP_ADDR (/healthz, /readyz, /metrics); 8443: WEBHOOK_LISTEN.
EXPOSE 8080 8443

# There is no shell or curl in the image, so the binary checks itself:
# `reportbot healthcheck` GETs http://127.0.0.1<port of HTTP_ADDR>/healthz
# and exits 0 (healthy) or 1 (unhealthy).
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["/reportbot", "healthcheck"]

ENTRYPOINT ["/reportbot"]
CMD ["serve"]
