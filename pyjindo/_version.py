# The one place the version lives: setup.py and the Makefile stamp it into the Go library and CLI.
__version__ = "0.1.0"
