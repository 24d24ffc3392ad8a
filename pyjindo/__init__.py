"""pyjindo: a fast, drop-in replacement for oss2 with a Go core. `import pyjindo as oss2`."""
from . import _binding
from ._version import __version__

__all__ = ["__version__"]
