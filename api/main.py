"""The ASGI application object that uvicorn serves (`api.main:app`)."""

import resource

from api.app import create_app


def allow_open_streams() -> int:
    """Let this process hold as many open files as the system allows; returns the new soft limit.

    Every live-update stream (web/events.py) holds a socket for as long as a reader keeps the page
    open: with the usual soft limit of 1,024 descriptors a worker would refuse readers long before its
    memory or the event loop minded (2,000 streams cost about 100 MiB: docs/PERFORMANCE.md)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):  # a container may cap it lower than it says: keep what we have
            return soft
        return target
    return soft


allow_open_streams()
app = create_app()
