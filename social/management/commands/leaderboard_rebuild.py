"""Rebuild the leaderboards of the current windows from the database (after a Redis flush, a
restore, or to be sure). Safe to run while syncs arrive: see `social.leaderboards`."""

import time

from django.core.management.base import BaseCommand

from social import services
from social.leaderboards.windows import current_windows


class Command(BaseCommand):
    help = "Rebuild today's, this week's, this month's and the all-time leaderboards."

    def handle(self, *args, **options):
        for window in current_windows():
            started = time.perf_counter()
            count = services.rebuild_window(window=window)
            seconds = time.perf_counter() - started
            self.stdout.write(f"{window.key}: {count} users ranked in {seconds:.1f} s")
