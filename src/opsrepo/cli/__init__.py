"""The command line: thin click commands over core functions."""
