"""``python -m sitebuild build``: the site in three steps (see :mod:`sitebuild.pipeline`)."""

from sitebuild.pipeline import main

raise SystemExit(main())
