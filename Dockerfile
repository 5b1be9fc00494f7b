FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# Production's pins only: no test tools, and no embedded PostgreSQL or Redis (compose runs real ones).
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN DJANGO_ENV=local python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "breathmaster.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4"]
