"""Graphs of the Python reference Agent Server; ids and behaviour mirror reference/upstream/graphs."""
