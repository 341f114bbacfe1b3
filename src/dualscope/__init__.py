"""dualscope: exposure to China's military-civil fusion, with evidence a reader can check."""

__version__ = "0.1.0"
