"""gunicorn settings for BMN Learn behind nginx (docs/deploy.md): `gunicorn -c
deploy/gunicorn.conf.py wsgi:app`. Every value can be changed from the environment
(GUNICORN_*), so one file serves every app server; the app's own settings come from the
environment file (deploy/bmn-learn.env.example)."""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# Where nginx connects: the server's private address (or 127.0.0.1 when nginx runs on it).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers, two per core: a request is CPU work (rendering, hashing) plus short database
# waits, and nginx buffers slow clients' uploads and downloads, so a worker never waits on a
# phone's network. Measured on 2 cores (bench/load.py): 4 gthread workers did no better than
# 2 sync workers and doubled the memory; with PostgreSQL on the same 2 cores, 4 sync workers
# were no faster than 2 either (bench/README.md). Two per core is for app servers whose
# database is another machine (a worker then waits on the network); measure with
# `bench/load.py --workers N` and set GUNICORN_WORKERS.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = _int("GUNICORN_THREADS", 1)  # per worker, gthread only
workers = _int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count())
# The queue of connections waiting for a worker (nginx retries another server on a refusal).
backlog = _int("GUNICORN_BACKLOG", 2048)
# A worker silent this long is killed and replaced. Clip uploads are read from nginx's buffer
# over the local network and stored in a few seconds; the national CSV export takes about
# 8 s (bench/README.md).
timeout = _int("GUNICORN_TIMEOUT", 60)
# On a restart (systemctl reload: HUP) or stop, requests in flight get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Sync workers close each connection after its answer; this only matters with
# GUNICORN_WORKER_CLASS=gthread, where idle connections from nginx stay open this long.
keepalive = _int("GUNICORN_KEEPALIVE", 75)
# Each worker is replaced after about this many requests (jitter spreads the restarts, so
# the workers never restart together): bounds any slow memory growth.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)
# Import the app once in the master, then fork: faster starts and shared memory pages. Safe
# here: create_app() opens no database or Redis connection (the pools start empty and each
# worker makes its own connections; post_fork below makes sure of it).
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
# Believe X-Forwarded-Proto only from the proxies the app believes (TRUSTED_PROXIES, the same
# comma-separated addresses or networks): the app's own middleware (app/proxies.py) reads
# X-Forwarded-For/-Proto/-Host from those addresses and drops them from anyone else.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "") or "127.0.0.1,::1"
# Headers and request line limits: gunicorn's defaults (8 KB lines), named for the record.
limit_request_line = 8190
limit_request_field_size = 8190
# Logs to stdout/stderr (the journal under systemd). The app masks personal data in every
# log record, gunicorn's access log included (app/logs.py).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: none
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
proc_name = "bmn-learn"
# gunicorn's control socket (gunicornc): off unless a path is given, so two instances on one
# host never share the default path ($HOME/.gunicorn/gunicorn.ctl).
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
# Temporary files of the worker heartbeat in memory, not on a slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


def post_fork(server, worker) -> None:  # noqa: ANN001
    """Each worker starts with empty connection pools (none is shared with the master)."""
    import wsgi
    from app.db import db

    with wsgi.app.app_context():
        db.engine.dispose(close=False)
