"""Running jobs outside the request.

- Default (no ``REDIS_URL``): a background thread of the web process runs the job; the
  state is in the database, so another worker can answer the status requests. A job left
  queued (``JOBS_RUNNER = "none"``, or a process that died before starting it) is run by
  ``flask jobs work``.
- ``REDIS_URL`` set: the job id goes to an RQ queue; ``rq worker`` processes (on any
  server sharing the queue) run it in an app context of their own.

A job is claimed by a conditional UPDATE (queued → running), so it runs once.
Background tasks (``@background_task``: mail delivery) have no job row: ``run_task`` starts
them the same way (RQ, or one thread per task and process), and they claim their own work.
Handlers prepare their input inside a transaction, commit, then do the slow part with
progress written in short transactions of their own.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import traceback
from collections.abc import Callable

from flask import current_app, has_app_context
from sqlalchemy import select, update

from hr_social.db import db, utcnow
from hr_social.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job

HANDLERS: dict[str, Callable] = {}
TASKS: dict[str, Callable[[], object]] = {}
RQ_QUEUE = "hr_social"
# Thread mode: tasks running in this process, and those asked for again meanwhile.
_task_lock = threading.Lock()
_running: set[tuple[int, str]] = set()
_again: set[tuple[int, str]] = set()


def job_handler(kind: str):
    """Register ``func(job, progress) -> (bytes, content_type, filename)``."""

    def decorator(func):
        HANDLERS[kind] = func
        return func

    return decorator


def create_job(kind: str, label: str, params: dict, *, user) -> Job:
    if kind not in HANDLERS:
        raise ValueError(f"unknown job kind {kind}")
    job = Job(kind=kind, label=label[:200], params_json=json.dumps(params),
              created_by_id=user.id if user else None)
    db.session.add(job)
    db.session.flush()
    return job


def _rq_queue(config):
    from redis import Redis
    from rq import Queue

    return Queue(config.get("RQ_QUEUE_NAME", RQ_QUEUE),
                 connection=Redis.from_url(config["REDIS_URL"]))


def dispatch(job_id: int):
    """After the commit that created the job: hand it to RQ or to a thread."""
    config = current_app.config
    if config.get("REDIS_URL"):
        return _rq_queue(config).enqueue("hr_social.jobs.runner.run_job_rq", job_id,
                                         job_timeout=config.get("JOBS_TIMEOUT_SECONDS", 3600))
    if config.get("JOBS_RUNNER", "thread") == "thread":
        app = current_app._get_current_object()
        thread = threading.Thread(target=_run_in_app, args=(app, job_id),
                                  name=f"job-{job_id}", daemon=True)
        thread.start()
        return thread
    return None


def background_task(name: str):
    """Register ``func() -> object``, run outside requests by ``run_task(name)``."""

    def decorator(func):
        TASKS[name] = func
        return func

    return decorator


def run_task(name: str):
    """Start a task without waiting for it: an RQ job, or a thread of this process.

    In thread mode one thread per task and process at most: asked again while it runs, it
    runs once more when done (a burst of requests does not start a burst of threads).
    """
    config = current_app.config
    if config.get("REDIS_URL"):
        return _rq_queue(config).enqueue("hr_social.jobs.runner.run_task_rq", name,
                                         job_timeout=config.get("JOBS_TIMEOUT_SECONDS", 3600))
    if config.get("JOBS_RUNNER", "thread") != "thread":
        return None  # left to cron (`flask mail deliver`…)
    app = current_app._get_current_object()
    key = (id(app), name)
    with _task_lock:
        if key in _running:
            _again.add(key)
            return None
        _running.add(key)
    thread = threading.Thread(target=_task_thread, args=(app, name, key),
                              name=f"task-{name}", daemon=True)
    thread.start()
    return thread


def _task_thread(app, name: str, key) -> None:
    while True:
        with app.app_context():
            try:
                TASKS[name]()
            except Exception:
                app.logger.error("task %s failed: %s", name, traceback.format_exc())
            finally:
                db.session.remove()
        with _task_lock:
            if key not in _again:
                _running.discard(key)
                return
            _again.discard(key)


def run_task_rq(name: str):
    """Entry point of RQ workers for background tasks."""
    if has_app_context():
        return TASKS[name]()
    from hr_social import create_app

    with create_app().app_context():
        try:
            return TASKS[name]()
        finally:
            db.session.remove()


def _run_in_app(app, job_id: int) -> None:
    with app.app_context():
        try:
            run_job(job_id)
        finally:
            db.session.remove()


def run_job_rq(job_id: int) -> str:
    """Entry point of RQ workers: uses the current app, or creates one."""
    if has_app_context():
        return run_job(job_id)
    from hr_social import create_app

    app = create_app()
    with app.app_context():
        try:
            return run_job(job_id)
        finally:
            db.session.remove()


def _claim(job_id: int) -> bool:
    result = db.session.execute(
        update(Job).where(Job.id == job_id, Job.state == QUEUED)
        .values(state=RUNNING, started_at=utcnow())
    )
    db.session.commit()
    return result.rowcount == 1


def set_progress(job_id: int, done: int, total: int | None = None) -> None:
    values = {"done": done} if total is None else {"done": done, "total": total}
    db.session.execute(update(Job).where(Job.id == job_id).values(**values))
    db.session.commit()


def run_job(job_id: int) -> str:
    """Run one queued job to its end; returns its final state."""
    from hr_social.attachments.services import store_bytes

    if not _claim(job_id):
        return "skipped"
    job = db.session.get(Job, job_id)
    try:
        data, content_type, filename = HANDLERS[job.kind](
            job, lambda done, total=None: set_progress(job_id, done, total))
        job = db.session.get(Job, job_id)
        attachment = store_bytes(data, content_type, filename, subject=job)
        job.result_id = attachment.id
        job.state, job.finished_at, job.done = DONE, utcnow(), job.total
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        current_app.logger.error("job %s failed: %s", job_id, traceback.format_exc())
        db.session.execute(update(Job).where(Job.id == job_id).values(
            state=FAILED, finished_at=utcnow(), error=f"{type(error).__name__}: {error}"[:500]))
        db.session.commit()
        return FAILED
    return DONE


def fail_stalled(now=None) -> int:
    """Jobs still "running" past the time limit lost their process (restart, crash, killed
    RQ worker): mark them failed, so their page stops waiting and says to try again."""
    timeout = dt.timedelta(seconds=current_app.config.get("JOBS_TIMEOUT_SECONDS", 3600))
    result = db.session.execute(
        update(Job).where(Job.state == RUNNING, Job.started_at < (now or utcnow()) - timeout)
        .values(state=FAILED, finished_at=utcnow(), error="interrupted: over the time limit"))
    db.session.commit()
    return result.rowcount


def work_queued(limit: int | None = None) -> int:
    """Fail stalled jobs, then run jobs left queued (``flask jobs work``, cron); returns how
    many ran."""
    fail_stalled()
    count = 0
    while limit is None or count < limit:
        job_id = db.session.scalar(
            select(Job.id).where(Job.state == QUEUED).order_by(Job.id).limit(1))
        db.session.commit()
        if job_id is None:
            break
        if run_job(job_id) != "skipped":
            count += 1
    return count
