"""`make reliability`: the fault scenarios of production (a worker killed mid-task, Redis down,
PostgreSQL restarted) run for real against throw-away servers. See run.py."""
