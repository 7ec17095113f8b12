# Accord's production image: the same pinned dependencies as development (uv.lock, package-lock.json).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/opt/accord/.venv
# LibreOffice and the CJK fonts print the PDF downloads (docs/DOCUMENTS.md).
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm libreoffice-writer-nogui fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/accord
COPY pyproject.toml uv.lock package.json package-lock.json README.md ./
RUN pip install --no-cache-dir uv==0.13.8 \
 && uv sync --locked --no-dev --no-install-project \
 && npm ci --no-audit --no-fund --ignore-scripts
COPY api ./api
COPY web ./web
COPY drafts ./drafts
COPY migrations ./migrations
COPY alembic.ini ./
RUN uv sync --locked --no-dev
# The app runs as an unprivileged user that owns nothing it serves: the code stays read-only to it.
RUN useradd --system --no-create-home --uid 10001 --shell /usr/sbin/nologin accord
USER accord
ENV PATH=/opt/accord/.venv/bin:$PATH ACCORD_MODE=production
EXPOSE 8000
# Migrations run once, in the "migrate" service; each app container only serves.
CMD ["accord", "serve", "--host", "0.0.0.0", "--port", "8000"]
