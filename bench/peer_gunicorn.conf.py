"""Gunicorn settings of the bench's peer: the server settings of the project's gunicorn.conf.py, without its
start-up hooks (they build our app's index, which the peer does not have). Both apps are served alike."""

limit_request_line = 8190
reuse_port = True
