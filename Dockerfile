# whoswho in a container: `docker compose up` (see docker-compose.yml and the README's
# "Running in containers"). The install steps live in docker/install.sh, which a test also runs.

# -- build: the wheel, with the knowledge base inside it ------------------------------------------
FROM python:3.11-slim AS build
WORKDIR /src
COPY docker/install.sh /usr/local/bin/whoswho-install
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY knowledge ./knowledge
RUN whoswho-install wheel /src /wheels

# -- run: the wheel with every extra ([all]) in a virtual environment, as a user without privileges -
FROM python:3.11-slim
COPY docker/install.sh /usr/local/bin/whoswho-install
COPY --from=build /wheels /wheels
RUN whoswho-install venv /wheels /opt/whoswho \
    && rm -rf /wheels \
    && groupadd --system --gid 10001 whoswho \
    && useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home whoswho \
    && mkdir -m 0700 /data \
    && chown 10001:10001 /data

ENV PATH=/opt/whoswho/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    WHOSWHO_DATA_DIR=/data \
    WHOSWHO_PORT=8080
# By number, so a runtime that cannot read /etc/passwd still drops root.
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080

# The slim image has no curl: ask /healthz with the standard library.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('WHOSWHO_PORT', '8080') + '/healthz', timeout=4)"]

CMD ["whoswho", "serve"]
