"""The learner's laptop Docker: ``docker build``, ``images``, ``tag``, ``login`` and ``push`` to a simulated Docker Hub.

The course builds its Flask "hostname" app into an image, pushes it to
Docker Hub and deploys it. Here the daemon's image store lives in private
state ``DockerDaemon/laptop`` and the Hub's repositories in
``ImageRegistry/docker.io`` — the very entry the kubelet reads when it pulls,
so deploying an image before pushing it fails with ``ErrImagePull`` and
``ImagePullBackOff``, and works once it is pushed. Pure: no Docker, no
network; output follows Docker 27 with BuildKit.
"""
