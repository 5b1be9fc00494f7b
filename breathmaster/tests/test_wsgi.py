"""The WSGI entry point (what gunicorn serves) leaves the garbage collector little to walk."""

import json
import os
import subprocess
import sys

from django.conf import settings

# Run in a fresh interpreter: what a gunicorn worker has once it imported the application.
PROBE = """
import gc, json, sys
import breathmaster.wsgi
print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "tracked": len(gc.get_objects()),
    "collecting": gc.isenabled(),
    "views_loaded": "progression.api.views" in sys.modules,
}))
"""


def test_serving_starts_with_the_views_loaded_and_set_aside_from_collections():
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "breathmaster.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    facts = json.loads(done.stdout.strip().splitlines()[-1])
    assert facts["views_loaded"] and facts["collecting"]
    assert facts["frozen"] > 50_000
    assert facts["tracked"] < facts["frozen"] / 10
