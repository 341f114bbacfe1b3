"""Technology exposure: watched surveillance vendors' devices and purchases in your own data.

Entry points: :func:`dualscope.devices.pipeline.analyse` (read inputs, correlate, judge) and
:func:`dualscope.devices.pipeline.run_devices` (the same, plus the output folder). The vendor
data lives in ``data/*.yaml`` and is loaded by :func:`dualscope.devices.catalog.default_catalog`.
"""
