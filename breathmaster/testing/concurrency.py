"""Real concurrency on PostgreSQL for tests: threads released at one barrier."""

import threading

from django.db import connection


def run_together(work, *, threads: int) -> list:
    """Start `work(index)` in `threads` threads at once; each uses (and closes) its connection."""
    barrier = threading.Barrier(threads)
    results: list = [None] * threads

    def run(index):
        try:
            barrier.wait()
            results[index] = work(index)
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results
