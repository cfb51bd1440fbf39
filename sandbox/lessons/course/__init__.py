"""The course engine, free of Django: lesson files, declarative checks, scenarios and solution playback.

Everything here works on plain data and on a ``SimCluster`` (or anything that
looks like one through the ``World`` protocol), so ``manage.py lessons check``,
unit tests and the web views all evaluate a lesson the same way.
"""
