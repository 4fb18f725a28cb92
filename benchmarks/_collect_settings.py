"""Production settings plus one extra static dir of stand-ins for files collectstatic misses.

Used only by `_site.py` when `plov collectstatic` under plov.settings.production fails because a
collected file references one that is not there (e.g. a CSS `sourceMappingURL`). The served site
still runs with plov.settings.production; only the collection step uses this module.
"""

import os

from plov.settings.production import *  # noqa: F403

STATICFILES_DIRS = [os.environ["PLOV_BENCH_EXTRA_STATIC"]]
