"""One reader per input format: inventories (CSV/XLSX), nmap XML, Zeek logs, OCDS JSON.

Every reader skips and counts bad records through :class:`dualscope.devices.stats.ReadLog`
(or raises :class:`dualscope.errors.InputError` in strict mode), never a traceback.
"""
