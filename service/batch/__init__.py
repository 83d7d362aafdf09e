"""``payerlens batch``: a folder or zip archive of contracts stored and analysed into the
service's database, unattended and resumable.

* ``sources``: what a source holds (a folder, or a zip checked before anything is inflated);
* ``pool``: local worker processes (time limit, memory limit) and the file-checking sandbox;
* ``warm``: what the pool's fork server loads once for every worker (rules, model);
* ``runner``: ``run_batch`` — items, ingest, running and tracking jobs, the report;
* ``summary``: the CSV and HTML summary of a batch.
"""
