"""The files every new sandbox starts with: the course's web-server exercise, ready to ``kubectl apply``.

The course builds a small Flask app that answers with the pod's hostname and
IP, puts nginx in front of it, pushes the image and runs three replicas
behind a NodePort Service on port 30000, so that repeated ``curl
localhost:30000`` shows the load spread across pods. The image
``kubesandbox/hostname:1.0`` is in the simulated registry, so the manifests
run at once; the app sources are there to read (and to ``docker build``).

``broken-deployment.yaml`` is the course's sample manifest with both of its
mistakes kept on purpose for the repair exercise: it is indented with tab
characters, which YAML forbids, and once that is fixed the API server rejects
it because the selector ``app: nginx`` does not match the template's labels.
"""

from __future__ import annotations

DEPLOYMENT_YAML = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: hostname
  labels:
    app: hostname
spec:
  replicas: 3
  selector:
    matchLabels:
      app: hostname
  template:
    metadata:
      labels:
        app: hostname
    spec:
      containers:
      - name: hostname
        image: kubesandbox/hostname:1.0
        ports:
        - containerPort: 80
"""

SERVICE_YAML = """\
apiVersion: v1
kind: Service
metadata:
  name: hostname-svc
spec:
  type: NodePort
  selector:
    app: hostname
  ports:
  - name: http
    protocol: TCP
    port: 80
    targetPort: 80
    nodePort: 30000
"""

APP_PY = '''\
"""Answer every request with the name and address of the pod that served it."""

import socket

from flask import Flask

app = Flask(__name__)


@app.route("/")
def whoami() -> str:
    hostname = socket.gethostname()  # inside Kubernetes: the pod's name
    ip = socket.gethostbyname(hostname)  # the pod's IP address
    return f"hostname: {hostname}, ip: {ip}\\n"


if __name__ == "__main__":
    # nginx listens on port 80 and forwards to this development server (see site.conf).
    app.run(host="0.0.0.0", port=5000)
'''

DOCKERFILE = """\
# The hostname app: nginx on port 80 in front of a Flask app on port 5000.
FROM python:3.12-slim

RUN apt-get update \\
 && apt-get install -y --no-install-recommends nginx \\
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY app.py start.sh ./
COPY site.conf /etc/nginx/conf.d/default.conf
RUN rm -f /etc/nginx/sites-enabled/default && chmod +x start.sh

EXPOSE 80
CMD ["./start.sh"]
"""

SITE_CONF = """\
# nginx receives the request on port 80 and hands it to Flask on port 5000.
server {
    listen 80;
    server_name _;

    location / {
        proxy_pass http://127.0.0.1:5000;
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
}
"""

REQUIREMENTS_TXT = """\
Flask==3.0.3
"""

START_SH = """\
#!/bin/sh
# nginx goes to the background; the Flask app then becomes the container's main process.
set -e
nginx
exec python app.py
"""

# Tabs and " : " spacing are the course's own; the tabs are one of the two mistakes to repair.
BROKEN_DEPLOYMENT_YAML = (
    "apiVersion : apps/v1\n"
    "kind : Deployment\n"
    "\n"
    "metadata :\n"
    "\tname : nginx-deployment\n"
    "\tlabels :\n"
    "\t\tapp : nginx\n"
    "\n"
    "spec :\n"
    "\treplicas : 3\n"
    "\tselector :\n"
    "\t\tmatchLabels :\n"
    "\t\t\tapp : nginx\n"
    "\ttemplate :\n"
    "\t\tmetadata :\n"
    "\t\t\tlabels :\n"
    '\t\t\t\tapp : "3"\n'
    "\n"
    "\t\tspec :\n"
    "\t\t\tcontainers :\n"
    "\t\t\t- name : nginx\n"
    "\t\t\t\timage : nginx\n"
    "\t\t\t\tports :\n"
    "\t\t\t\t- containerPort : 80\n"
)

COURSE_FILES: dict[str, str] = {
    "deployment.yaml": DEPLOYMENT_YAML,
    "service.yaml": SERVICE_YAML,
    "app.py": APP_PY,
    "Dockerfile": DOCKERFILE,
    "site.conf": SITE_CONF,
    "requirements.txt": REQUIREMENTS_TXT,
    "start.sh": START_SH,
    "broken-deployment.yaml": BROKEN_DEPLOYMENT_YAML,
}


def course_files() -> dict[str, str]:
    """A fresh copy of the starting files (path → content), safe for the caller to change."""
    return dict(COURSE_FILES)
