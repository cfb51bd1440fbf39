"""The KubeSandbox Django project and the learning product built on the simulated cluster."""
