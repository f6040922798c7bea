"""Shared bits of the reporting views: the scoped project fetch."""

from django.shortcuts import get_object_or_404

from reporting.access import reporting_projects_visible_to


def project_for(request, pk):
    """The project if the user is on its staff in a project role, else 404."""
    return get_object_or_404(reporting_projects_visible_to(request.user), pk=pk)
