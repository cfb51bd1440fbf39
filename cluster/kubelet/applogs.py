"""Startup log lines of the built-in images, as templates.

``kubectl logs`` right after a container starts is often a learner's first
proof that "something is running in there", so these follow what the real
images print (nginx's docker-entrypoint, Apache's AH00558 warning, Redis'
banner, Flask's development-server notice). Placeholders — ``{nginx_time}``,
``{apache_time}``, ``{redis_time}``, ``{pod_ip}``, ``{version}`` — are filled
in by ``images.startup_logs`` when the container starts.
"""

from __future__ import annotations


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())


def nginx(version: str) -> tuple[str, ...]:
    """nginx < 1.19 printed nothing at start; later images run the docker-entrypoint scripts first."""
    numbers = _version_tuple(version)
    if numbers < (1, 19):
        return ()
    entry = "/docker-entrypoint.sh: "
    lines = [
        entry + "/docker-entrypoint.d/ is not empty, will attempt to perform configuration",
        entry + "Looking for shell scripts in /docker-entrypoint.d/",
        entry + "Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
        "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
        "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
    ]
    if numbers >= (1, 25):
        lines.append(entry + "Sourcing /docker-entrypoint.d/15-local-resolvers.envsh")
    lines.append(entry + "Launching /docker-entrypoint.d/20-envsubst-on-templates.sh")
    if numbers >= (1, 21):
        lines.append(entry + "Launching /docker-entrypoint.d/30-tune-worker-processes.sh")
    lines.append(entry + "Configuration complete; ready for start up")
    notice = "{nginx_time} [notice] 1#1: "
    lines += [
        notice + 'using the "epoll" event method',
        notice + "nginx/{version}",
        notice + "built by gcc 12.2.0 (Debian 12.2.0-14)",
        notice + "OS: Linux 6.8.0-45-generic",
        notice + "getrlimit(RLIMIT_NOFILE): 1048576:1048576",
        notice + "start worker processes",
        notice + "start worker process 29",
        notice + "start worker process 30",
    ]
    return tuple(lines)


def _servername(binary: str) -> str:
    return (
        f"AH00558: {binary}: Could not reliably determine the server's fully qualified domain name, "
        "using {pod_ip}. Set the 'ServerName' directive globally to suppress this message"
    )


def httpd() -> tuple[str, ...]:
    warn = _servername("httpd")
    return (
        warn,
        warn,
        "[{apache_time}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.62 (Unix) configured -- "
        "resuming normal operations",
        "[{apache_time}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'",
    )


def php_apache() -> tuple[str, ...]:
    warn = _servername("apache2")
    return (
        warn,
        warn,
        "[{apache_time}] [mpm_prefork:notice] [pid 1] AH00163: Apache/2.4.10 (Debian) PHP/5.6.14 configured -- "
        "resuming normal operations",
        "[{apache_time}] [core:notice] [pid 1] AH00094: Command line: 'apache2 -D FOREGROUND'",
    )


def redis(version: str) -> tuple[str, ...]:
    return (
        "1:C {redis_time} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
        f"1:C {{redis_time}} * Redis version={version}, bits=64, commit=00000000, modified=0, pid=1, just started",
        "1:C {redis_time} # Warning: no config file specified, using the default config. In order to specify a "
        "config file use redis-server /path/to/redis.conf",
        "1:M {redis_time} * monotonic clock: POSIX clock_gettime",
        "1:M {redis_time} * Running mode=standalone, port=6379.",
        "1:M {redis_time} * Server initialized",
        "1:M {redis_time} * Ready to accept connections tcp",
    )


def flask() -> tuple[str, ...]:
    """The course's hostname app: Flask's development server (nginx in front proxies port 80 to it)."""
    return (
        " * Serving Flask app 'app'",
        " * Debug mode: off",
        "WARNING: This is a development server. Do not use it in a production deployment. "
        "Use a production WSGI server instead.",
        " * Running on all addresses (0.0.0.0)",
        " * Running on http://127.0.0.1:5000",
        " * Running on http://{pod_ip}:5000",
        "Press CTRL+C to quit",
    )
