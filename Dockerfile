# zienswijzen: build in release with a static Swift standard library, run on slim Debian.
# The build step is .ci/build-release, the same script CI runs, so the two cannot drift.
# Tests/container builds this file with podman and proves the container (README, "Container").
#
# hadolint: DL3008 (pin apt package versions) is ignored on purpose. Debian stable is the pin:
# it only takes security and bug fixes, and its mirror drops a version once a fix replaces it,
# so `libsqlite3-0=<version>` would break every build after the next security update.

FROM swift:6.3-bookworm AS build
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends libsqlite3-dev zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN .ci/build-release /staging

FROM debian:bookworm-slim
# libsqlite3 for the database, libcurl4 for webhook delivery (FoundationNetworking), tzdata for
# Europe/Amsterdam, CA certificates; nothing else.
# A fixed, numeric user and group (10001), so `runAsNonRoot` checks and volume owners can rely on it.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends libsqlite3-0 libcurl4 tzdata ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 zienswijzen \
 && useradd --uid 10001 --gid 10001 --no-log-init --no-create-home --home-dir /data \
            --shell /usr/sbin/nologin zienswijzen \
 && mkdir -p /data && chown 10001:10001 /data
COPY --from=build /staging/bin/zienswijzen /usr/local/bin/zienswijzen
COPY --from=build /staging/share/zienswijzen /usr/local/share/zienswijzen

USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
ENV ZIENSWIJZEN_HOST=0.0.0.0 \
    ZIENSWIJZEN_PORT=8080 \
    ZIENSWIJZEN_DATABASE=/data/zienswijzen.sqlite \
    ZIENSWIJZEN_PUBLIC=/usr/local/share/zienswijzen/Public \
    ZIENSWIJZEN_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["zienswijzen", "healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["zienswijzen"]
CMD ["serve"]
