FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz0b fonts-dejavu-core gettext make && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN python -m venv .venv && .venv/bin/pip install --no-cache-dir . && .venv/bin/python manage.py compilemessages \
    && DEBUG=false SECRET_KEY=build .venv/bin/python manage.py collectstatic --noinput
EXPOSE 8000
