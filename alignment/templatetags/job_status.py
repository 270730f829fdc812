"""Template filters for the job status partial."""

from django import template

from alignment.ops import health

register = template.Library()


@register.filter
def delay_reason(job) -> str:
    """Why a queued job is late ("" when it is not): ``{% with delay=job|delay_reason %}``."""
    return health.delay_reason(job)
