"""The sandbox page: views, the WebSocket consumer and the services behind them.

Views and the consumer stay thin: they check who is calling, then hand the
work to the ``<entity>_<action>`` services here (files, history, ownership,
snapshots, the terminal), which in turn go through ``cluster.services`` — the
only way to touch a simulated cluster.
"""
