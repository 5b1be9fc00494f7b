import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "breathmaster.settings")
application = get_wsgi_application()

# Import every view now, then set everything loaded so far aside from the garbage collector:
# its full collections otherwise walk ~140,000 long-lived objects, a pause of 100 to 250 ms
# on a loaded machine (2 to 4 ms after), that lands on whichever request is running
# (measured in-process with gc.callbacks over bench/sync.py's uploads).
get_resolver().resolve("/")  # imports the URLconf, and so every view
gc.freeze()
