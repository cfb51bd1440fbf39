"""The terminal programs of the traffic model: ``curl``, ``load`` and the ``kube-proxy`` mode switch."""
