"""The files ``dualscope devices`` writes: devices.csv, contracts.csv, devices.html."""
