"""Background jobs: an upload returns at once with a job id and a runner analyses it.

* ``store``: the job rows (the truth): enqueue, claim with a lease, renew, finish, recover.
* ``work``: one attempt at one job (``run_job``), the same under every runner.
* ``runner``: the ``Runner`` interface, ``make_runner`` and the sweeper that recovers jobs of
  dead workers.
* ``inprocess``: the default runner, threads of the server process.
* ``celery_app`` / ``worker``: Celery on Redis for scale-out (``payerlens worker``).
"""
