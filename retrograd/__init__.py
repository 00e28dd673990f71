"""The ``retrograd`` command line: demos and drawings built on ``autograd``, ``nn`` and ``viz``."""
