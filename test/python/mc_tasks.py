"""Exception classes shared by the memcached interop scripts (importable as `mc_tasks`)."""


class CustomError(Exception):
    """A user exception with several args, as in the golden vectors."""
