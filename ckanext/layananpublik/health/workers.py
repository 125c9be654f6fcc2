"""CKAN's RQ worker and RQ's scheduler, made to survive a Redis restart that lost their keys
(a Redis without persistence, a failover): both keep working through such a restart, but
RQ would leave them invisible (no worker registered, no scheduler lock), so monitoring, the
health check included, would report the job queue down, and a second scheduler could start.
Here each heartbeat puts back what is missing."""

from __future__ import annotations

import logging
import os

from ckan.lib import jobs
from rq.scheduler import RQScheduler
from rq.worker_registration import get_keys

log = logging.getLogger(__name__)


class Worker(jobs.Worker):
    def heartbeat(self, timeout: int | None = None, pipeline=None) -> None:
        super().heartbeat(timeout, pipeline)
        if pipeline is None and self.key not in {k.decode() if isinstance(k, bytes) else k for k in
                                                 get_keys(connection=self.connection)}:  # fmt: skip
            log.warning("worker %s was no longer registered (Redis restarted?): registering again", self.name)
            self.connection.delete(self.key)  # what the heartbeat re-created, so birth is allowed
            self.register_birth()


class Scheduler(RQScheduler):
    def heartbeat(self) -> None:
        """Keep our locks; take back one that vanished; give up one another scheduler took."""
        pid = str(os.getpid())
        for name in list(self._acquired_locks):
            key = self.get_locking_key(name)
            holder = self.connection.get(key)
            holder = holder.decode() if isinstance(holder, bytes) else holder
            if holder == pid:
                self.connection.expire(key, self.interval + 60)
            elif holder is None and self.connection.set(key, pid, nx=True, ex=self.interval + 60):
                log.warning("scheduler lock %s had vanished (Redis restarted?): taken back", key)
            else:
                log.warning("scheduler lock %s is held by %s now: leaving that queue to it", key, holder)
                self._acquired_locks.discard(name)
