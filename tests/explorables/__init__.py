"""Tests of the explorables (nndl.explorables), one module per explorable."""
