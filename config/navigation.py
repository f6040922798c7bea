"""The main menu: a few task groups, each a Bootstrap dropdown, showing only the role's entries.

config/ wires the rooms together, so the menu names their URLs here (a room never imports a higher
one). `{% main_menu %}` (registered in settings.TEMPLATES as the `navigation` library) renders
templates/partials/nav.html for the user's role (context `user_role`, from
support_network.context_processors.staff) and marks the entry of the page shown: the one whose
address is the longest prefix of the request's path ("Start" only on the home page itself).
A group with a single entry for a role is a plain link, not a dropdown.

Every page shows the menu, so it is built once: the role's addresses once per role, language and
URL configuration, and the rendered HTML once per those and the entry marked current (a few dozen
strings per process); a request only finds the current entry among the role's addresses.
"""

from dataclasses import dataclass
from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

register = template.Library()

WORKERS = ("social_worker", "mgi_member")
PROJECT_STAFF = ("coordinator", "project_manager", "auditor")
EVERY_ROLE = (*WORKERS, *PROJECT_STAFF, "partner_staff", "administrator")


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str | Promise
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    label: str | Promise
    entries: tuple[Entry, ...]


HOME = Entry("home", _("Start"), EVERY_ROLE)
MENU = (
    Group(
        _("Rodziny"),
        (
            Entry("families:caseload", _("Moje rodziny"), WORKERS),
            Entry("families:caseload", _("Rodziny w projektach"), PROJECT_STAFF),
            Entry("contracts:contract_list", _("Kontrakty socjalne"), ("social_worker", *PROJECT_STAFF)),
            Entry("contracts:programme_list", _("Programy rodzinne"), (*WORKERS, *PROJECT_STAFF)),
            Entry("contracts:programme_queue", _("Programy do zatwierdzenia"), ("coordinator",)),
            Entry("contracts:reminders", _("Przypomnienia"), WORKERS),
        ),
    ),
    Group(
        _("Sieć wsparcia"),
        (
            Entry("contracts:referral_sent", _("Skierowania"), WORKERS),
            Entry("contracts:referral_inbox", _("Skrzynka skierowań"), ("partner_staff",)),
            Entry("contracts:group_list", _("Zajęcia grupowe"), ("partner_staff", *PROJECT_STAFF)),
            Entry("support_network:catalogue", _("Katalog usług"), EVERY_ROLE),
            Entry("support_network:team_list", _("Zespoły"), EVERY_ROLE),
            Entry("support_network:agreement_list", _("Porozumienia"), EVERY_ROLE),
        ),
    ),
    Group(
        _("Projekty EFS"),
        (
            Entry("reporting:project_list", _("Projekty i wskaźniki"), PROJECT_STAFF),
            Entry("reporting:participant_projects", _("Uczestnicy"), PROJECT_STAFF),
            Entry("reporting:outcome_queue", _("Rezultaty do potwierdzenia"), ("project_manager",)),
            Entry("reporting:followups", _("Monitoring"), PROJECT_STAFF),
        ),
    ),
    Group(_("Administracja"), (Entry("admin:index", _("Administracja"), ("administrator",)),)),
)


@dataclass(frozen=True)
class Link:
    label: str | Promise
    url: str
    current: bool = False


@dataclass(frozen=True)
class ShownGroup:
    label: str | Promise
    links: tuple[Link, ...]

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


def current_url(path: str, urls: list[str]) -> str | None:
    """The address among `urls` that the page at `path` belongs to: the longest prefix of it; the
    root address only for the root itself."""
    matching = [url for url in urls if path == url or (url != "/" and path.startswith(url))]
    return max(matching, key=len, default=None)


def menu_for(role: str | None, path: str) -> tuple[Link, list[ShownGroup]]:
    """The home link and the role's groups (empty groups left out), the current page marked."""
    if not role:
        return Link(HOME.label, reverse(HOME.url_name)), []
    groups = [
        (group.label, [(entry.label, reverse(entry.url_name)) for entry in group.entries if role in entry.roles])
        for group in MENU
    ]
    urls = [reverse(HOME.url_name)] + [url for _label, links in groups for _l, url in links]
    current = current_url(path, urls)
    home = Link(HOME.label, urls[0], urls[0] == current)
    shown = [
        ShownGroup(label, tuple(Link(text, url, url == current) for text, url in links))
        for label, links in groups
        if links
    ]
    return home, shown


@lru_cache(maxsize=64)
def _role_urls(role: str | None, _language: str, _prefix: str, _urlconf: str) -> tuple[str, ...]:
    """The addresses of the role's menu (home first); the arguments after the role are the cache key
    of what `reverse()` depends on."""
    return (reverse(HOME.url_name), *(reverse(e.url_name) for g in MENU for e in g.entries if role in e.roles))


@lru_cache(maxsize=512)
def _menu_html(role: str | None, _language: str, _prefix: str, _urlconf: str, current: str | None) -> SafeString:
    """templates/partials/nav.html for the role with `current` marked; the arguments between are the
    cache key (the active language, the labels' language, and what `reverse()` depends on)."""
    home, groups = menu_for(role, current or "")
    return render_to_string("partials/nav.html", {"home": home, "groups": groups})


@register.simple_tag(takes_context=True)
def main_menu(context) -> SafeString:
    request = context.get("request")
    role = context.get("user_role")
    path = request.path if request else ""
    key = (role, get_language(), get_script_prefix(), str(get_urlconf() or settings.ROOT_URLCONF))
    current = current_url(path, list(_role_urls(role, *key[1:])))
    if settings.DEBUG:  # a template edited while developing shows at once
        return _menu_html.__wrapped__(*key, current)
    return _menu_html(*key, current)
