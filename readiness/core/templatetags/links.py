from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from readiness.core.links import is_web_url

register = template.Library()


@register.filter(name="link")
def stored_link(url: str, label: str = "") -> SafeString:
    """`{{ item.reference_url|link:item.reference_title }}`: a link to a stored address,
    or plain text if the address breaks the URL rule (e.g. planted before the rule)."""
    if not url:
        return format_html("{}", label)
    if is_web_url(url):
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', url, label or url)
    if label:
        return format_html("{} ({})", label, url)
    return format_html("{}", url)
