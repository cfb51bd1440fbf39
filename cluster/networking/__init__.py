"""Service traffic: how a request reaches a pod, and what the pod answers.

The control plane only *describes* networking (Services, EndpointSlices,
Ingresses); on a real node kube-proxy turns that description into iptables
or IPVS rules, CoreDNS answers names, an ingress controller proxies HTTP and
the container finally replies. This package plays all of them for one
request at a time: ``routing.send`` walks the same hops a packet would
(entry point → kube-proxy → endpoint → container) and returns what ``curl``
would see, and records one ``traffic.request`` for the page.

Everything here is pure (simulated time in, private state out). Importing
``cluster.networking.register`` adds the reconcilers (the load-balancer
"cloud provider", the ingress status writer and the load generator).
"""
