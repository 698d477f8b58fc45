"""Writes of the assistance app, one module per part of the service:

* ``workflow``: opening a service and moving it through its stages;
* ``proposal``: the improvement plan and the budget (all money arithmetic);
* ``plan``: the action plan (activities and indicators);
* ``execution``: visits and the technical report;
* ``evaluation``: the follow-up visit and its measures.

The consultant directory is an app of its own: ``consultants``.
"""
