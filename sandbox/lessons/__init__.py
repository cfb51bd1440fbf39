"""Lessons and guided exercises, checked automatically against the learner's own cluster.

``course`` is the framework-free engine (lesson files, checks, scenarios,
solution playback); the rest of this app is the Django shell around it:
progress per learner, the ``/learn/`` pages and JSON API, and the
``manage.py lessons`` command.
"""
