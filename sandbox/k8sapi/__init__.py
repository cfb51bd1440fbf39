"""Every sandbox is also a Kubernetes API server: the REST API the real kubectl and client libraries use.

Mounted at ``/k8s/<sandbox-id>/`` with one bearer token per sandbox. Requests
run through the same API server core, services and trace as the browser
terminal, so a command typed on the learner's laptop animates in the page
("kubectl (your laptop) -> API server") like one typed in the browser.

Modules: ``views``/``urls`` (the HTTP edge), ``auth`` and ``kubeconfig``,
``routes`` (paths and served versions), ``negotiate`` (Accept, Content-Type,
query parameters), ``discovery`` and ``openapi``, ``reads``, ``writes`` and
``subresources`` (the verbs), ``watch`` and ``logstream`` (the streams).
"""
