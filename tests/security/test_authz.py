"""Who may do what, on every route the project has: the walk below finds each URL pattern (the admin's and the
API's included), so a new route without a line in ROUTES fails ``test_every_route_has_a_case``.

Each route is asked, with a real story (pair, divergence) of the owner's, by an anonymous visitor, another user,
staff and the owner: pages send an anonymous visitor to log in, the API answers 401, and another user's story is
a 404 for everyone but its owner, staff included (staff use the admin). The admin is for staff only. Requests that
should be refused must change nothing, so the database is compared before and after them; the privileged role
(the owner, or staff in the admin) goes last.

A shared link is the exception: whoever holds a working one sees what it shares, logged in or not, and one that is
revoked, expired, tampered with or made up is a 404 for everyone, its owner included, saying nothing of the story.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from alignment import audit, sharing, tokens
from alignment.ops import health
from alignment.models import (
    ApiToken, AuditAction, AuditEntry, Collection, CollectionFurniture, Divergence, Document, Edit, FurnitureSource,
    GlossaryEntry, GlossaryRecheck, ImportBatch, ImportItem, ImportItemStatus, Job, Pair, PendingFile, Sentence,
    ShareLink, ShareScope, SimilarityMap, Story,
)
from tests.web.test_views_alignment import Div, build_story

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Olga's unpublished exclusive"
ROLES = ("anon", "other", "staff", "owner")

# Answers that are not a bare status code.
LOGIN = "a redirect to the login page"
ADMIN_LOGIN = "a redirect to the admin's login page"


@dataclass(frozen=True)
class Roles:
    """The expected answer for each role: a status code, LOGIN or ADMIN_LOGIN."""

    owner: int | str
    other: int | str
    staff: int | str
    anon: int | str


def everyone(answer) -> Roles:
    return Roles(answer, answer, answer, answer)


# The rules, once: a story's page, a change to a story, and the API's view of a story.
STORY_PAGE = Roles(owner=200, other=404, staff=404, anon=LOGIN)
POST_ONLY = Roles(owner=405, other=405, staff=405, anon=LOGIN)
STORY_CHANGE = Roles(owner=302, other=404, staff=404, anon=LOGIN)
API_STORY = Roles(owner=200, other=404, staff=404, anon=401)
SIGNED_IN = Roles(owner=200, other=200, staff=200, anon=LOGIN)
STAFF_ONLY = Roles(owner=ADMIN_LOGIN, other=ADMIN_LOGIN, staff=200, anon=ADMIN_LOGIN)


@dataclass(frozen=True)
class Case:
    """How to ask a route, and what each role gets. ``changes`` maps a state-changing method ("post", "delete")
    to the answers; ``data`` builds its body from the world."""

    get: Roles | None
    changes: dict[str, Roles] = field(default_factory=dict)
    kwargs: Callable[[World], dict] = lambda world: {}
    data: Callable[[World], dict] = lambda world: {}
    query: str = ""
    htmx: bool = False
    api: bool = False  # token authentication, JSON bodies
    privileged: str = "owner"  # the role allowed to change things; it goes last
    path: Callable[[World], str] | None = None  # for a route without a name

    def url(self, name: str | None, world: World) -> str:
        return (self.path(world) if self.path else reverse(name, kwargs=self.kwargs(world))) + self.query


def code(world):
    return {"code": world.story.code}


def api_code(world):
    return {"code": str(world.story.code)}


def collection_of(world) -> Collection:
    """The owner's collection, holding the story, with an import and a line of furniture (``world`` makes it)."""
    collection, _ = Collection.objects.get_or_create(owner=world.owner, name="Olga's collection")
    collection.stories.add(world.story)
    return collection


def collection_code(world):
    return {"code": collection_of(world).code}


def api_collection(world):
    return {"collection_id": str(collection_of(world).pk)}


COLLECTION_FORM = {"name": "Renamed", "description": "", "outlet": ""}


def shared_token(world):
    return {"token": sharing.token_for(world.link)}


GLOSSARY_FORM = {"en": "Mayor", "ru": "Мэр", "en_variants": "", "ru_variants": "", "note": ""}


def glossary_entry(world, collection=False):
    """The owner's name in her own glossary, or in her collection's (``world`` makes both)."""
    return GlossaryEntry.objects.get(owner=world.owner, collection=collection_of(world) if collection else None)


def name_divergence(world) -> Divergence:
    """A name divergence of the story, for its "Add to glossary"."""
    divergence, _ = Divergence.objects.get_or_create(pair=world.pair, kind="name", defaults={
        "severity": 0.5, "reason": "Name only in English: Mayor"})
    return divergence


def glossary_cases() -> dict[str, Case]:
    """A user's glossary is for anyone signed in (each has their own), a collection's is its owner's; a name and a
    re-check are their owner's. An empty form changes nothing (its errors are a 200, or a message after a
    redirect for an import)."""
    cases = {}
    for prefix, page, change, args in (("", SIGNED_IN, Roles(302, 302, 302, LOGIN), lambda world: {}),
                                       ("collection_", STORY_PAGE, STORY_CHANGE, collection_code)):
        collection = bool(prefix)
        cases |= {
            f"{prefix}glossary": Case(get=page, changes={"post": page}, kwargs=args),
            f"{prefix}glossary_import": Case(get=POST_ONLY, changes={"post": change}, kwargs=args),
            f"{prefix}glossary_recheck": Case(get=POST_ONLY, changes={"post": change}, kwargs=args),
            f"{prefix}glossary_export": Case(get=page, kwargs=lambda world, args=args: {**args(world), "fmt": "tbx"}),
            f"{prefix}glossary_entry": Case(
                get=STORY_PAGE, changes={"post": STORY_CHANGE}, data=lambda world: GLOSSARY_FORM,
                kwargs=lambda world, args=args, c=collection: {**args(world), "entry": glossary_entry(world, c).code}),
            f"{prefix}glossary_entry_delete": Case(
                get=POST_ONLY, changes={"post": STORY_CHANGE},
                kwargs=lambda world, args=args, c=collection: {**args(world), "entry": glossary_entry(world, c).code}),
        }
    return cases


# Pages that show the story's title to whoever holds a working link: the title is part of what is shared.
SHARED_ROUTES = ("shared", "shared_print")


ROUTES: dict[str, Case] = {
    "home": Case(get=everyone(302)),
    "stories": Case(get=SIGNED_IN),
    # An empty form is a form with errors (200), for anyone signed in.
    "upload": Case(get=SIGNED_IN, changes={"post": SIGNED_IN}),
    "story": Case(get=STORY_PAGE, kwargs=code),
    "story_status": Case(get=STORY_PAGE, kwargs=code),
    "story_pairs": Case(get=STORY_PAGE, kwargs=code),
    "story_progress": Case(get=STORY_PAGE, kwargs=code, htmx=True),
    "story_history": Case(get=STORY_PAGE, kwargs=code, htmx=True),
    "story_rerun": Case(get=STORY_PAGE, kwargs=code),
    "story_report": Case(get=STORY_PAGE, kwargs=code),
    "story_export": Case(get=STORY_PAGE, kwargs=lambda world: {"code": world.story.code, "fmt": "tsv"}),
    "story_similarity_map": Case(get=STORY_PAGE, kwargs=code, htmx=True),
    "story_similarity_png": Case(get=STORY_PAGE, kwargs=code),
    "story_pair": Case(get=Roles(owner=302, other=404, staff=404, anon=LOGIN),
                       kwargs=lambda world: {"code": world.story.code, "number": 2}),
    "story_delete": Case(get=STORY_PAGE, changes={"post": STORY_CHANGE}, kwargs=code),
    "story_retry": Case(get=POST_ONLY, changes={"post": STORY_CHANGE}, kwargs=code),
    "story_correct": Case(get=POST_ONLY, changes={"post": STORY_CHANGE}, kwargs=code,
                          data=lambda world: {"op": "merge", "pair": world.pair.pk}),
    "story_undo": Case(get=POST_ONLY, changes={"post": STORY_CHANGE}, kwargs=code),
    "story_verdict": Case(get=POST_ONLY, changes={"post": STORY_CHANGE}, kwargs=code,
                          data=lambda world: {"divergence": world.divergence.pk, "verdict": "confirmed"}),
    "story_lock": Case(get=POST_ONLY, changes={"post": STORY_CHANGE}, kwargs=code,
                       data=lambda world: {"pair": world.pair.pk, "locked": "1"}),
    # The story's third pair is a passage of one: the English sentence alone.
    "story_passage_verdict": Case(get=POST_ONLY, changes={"post": STORY_CHANGE}, kwargs=code,
                                  data=lambda world: {"pairs": world.story.pairs.get(order=2).pk,
                                                      "verdict": "dismissed"}),
    "collection_report": Case(get=STORY_PAGE, kwargs=collection_code),
    # Collections are their owner's as stories are: anyone else gets a 404, staff too (staff use the admin).
    "collections": Case(get=SIGNED_IN, changes={"post": Roles(302, 302, 302, LOGIN)},
                        data=lambda world: {"name": "Another collection"}),
    "collection": Case(get=STORY_PAGE, kwargs=collection_code),
    "collection_edit": Case(get=POST_ONLY, changes={"post": STORY_CHANGE}, kwargs=collection_code,
                            data=lambda world: COLLECTION_FORM),
    "collection_delete": Case(get=POST_ONLY, changes={"post": STORY_CHANGE}, kwargs=collection_code),
    "collection_import": Case(get=STORY_PAGE, changes={"post": STORY_PAGE}, kwargs=collection_code),
    "collection_furniture": Case(get=STORY_PAGE, changes={"post": STORY_CHANGE}, kwargs=collection_code,
                                 data=lambda world: {"language": "en", "text": "Sign up for our newsletter."}),
    "collection_furniture_entry": Case(
        get=POST_ONLY, changes={"post": STORY_CHANGE}, data=lambda world: {"action": "strike"},
        kwargs=lambda world: {"code": collection_of(world).code,
                              "entry_id": collection_of(world).furniture.get().pk}),
    "collection_export": Case(get=STORY_PAGE, kwargs=lambda world: {"code": collection_of(world).code, "fmt": "csv"}),
    "collection_search": Case(get=STORY_PAGE, kwargs=collection_code, query="?q=mayor"),
    "import": Case(get=STORY_PAGE, kwargs=lambda world: {"code": collection_of(world).imports.get().code}),
    "story_collections": Case(get=POST_ONLY, changes={"post": STORY_CHANGE}, kwargs=code,
                              data=lambda world: {"collection": str(collection_of(world).code), "action": "add"}),
    # Sharing: the owner's links and printable evidence are the owner's; a working link opens for anyone.
    "story_share": Case(get=STORY_PAGE, changes={"post": STORY_CHANGE}, kwargs=code,
                        data=lambda world: {"scope": "confirmed", "days": "7"}),
    "share_revoke": Case(get=POST_ONLY, changes={"post": STORY_CHANGE},
                         kwargs=lambda world: {"code": world.story.code, "link": world.link.code}),
    "story_evidence": Case(get=STORY_PAGE, kwargs=code),
    **glossary_cases(),
    "glossary_recheck_progress": Case(get=STORY_PAGE, htmx=True, kwargs=lambda world: {
        "recheck": GlossaryRecheck.objects.get(owner=world.owner).code}),
    "story_glossary": Case(get=STORY_PAGE, changes={"post": STORY_CHANGE}, path=lambda world: reverse(
        "story_glossary", args=[world.story.code]) + f"?divergence={name_divergence(world).pk}",
        data=lambda world: {**GLOSSARY_FORM, "en": "Bridge", "divergence": name_divergence(world).pk}),
    "shared": Case(get=everyone(200), kwargs=shared_token, privileged="anon"),
    "shared_print": Case(get=everyone(200), kwargs=shared_token, privileged="anon"),
    "healthz": Case(get=everyone(200), privileged="anon"),
    # Logging in and out, and a forgotten password, are for everyone.
    "login": Case(get=everyone(200), changes={"post": everyone(200)}, privileged="anon",
                  data=lambda world: {"username": "nobody", "password": "wrong"}),
    "logout": Case(get=everyone(405), changes={"post": everyone(302)}, privileged="anon"),
    "password_change": Case(get=SIGNED_IN, changes={"post": SIGNED_IN}),
    "password_change_done": Case(get=SIGNED_IN),
    "password_reset": Case(get=everyone(200), changes={"post": everyone(302)}, privileged="anon",
                           data=lambda world: {"email": "nobody@example.org"}),
    "password_reset_done": Case(get=everyone(200), privileged="anon"),
    "password_reset_confirm": Case(get=everyone(200), privileged="anon",
                                   kwargs=lambda world: {"uidb64": "MQ", "token": "not-a-token"}),
    "password_reset_complete": Case(get=everyone(200), privileged="anon"),
    # The API: a token, or nothing (401). An empty body is a 400.
    "api:stories": Case(get=Roles(200, 200, 200, 401), changes={"post": Roles(400, 400, 400, 401)}, api=True),
    "api:story": Case(get=API_STORY, changes={"delete": Roles(204, 404, 404, 401)}, kwargs=api_code, api=True),
    "api:story_alignment": Case(get=API_STORY, kwargs=api_code, api=True),
    "api:story_export": Case(get=API_STORY, kwargs=api_code, query="?format=tsv", api=True),
    "api:story_retry": Case(get=Roles(405, 405, 405, 401), changes={"post": Roles(202, 404, 404, 401)},
                            kwargs=api_code, api=True),
    "api:collection_report": Case(get=API_STORY, kwargs=lambda world: {"code": str(collection_of(world).pk)},
                                  api=True),
    "api:collection_export": Case(get=API_STORY, kwargs=lambda world: {"code": str(collection_of(world).pk)},
                                  query="?format=csv", api=True),
    "api:collections": Case(get=Roles(200, 200, 200, 401), changes={"post": Roles(201, 201, 201, 401)}, api=True,
                            data=lambda world: {"name": "Another collection"}),
    "api:collection": Case(get=API_STORY, kwargs=api_collection, api=True),
    "api:collection_stories": Case(get=Roles(405, 405, 405, 401), changes={"post": Roles(200, 404, 404, 401)},
                                   kwargs=api_collection, api=True,
                                   data=lambda world: {"stories": [str(world.story.code)]}),
    "api:collection_import": Case(get=Roles(405, 405, 405, 401), changes={"post": Roles(400, 404, 404, 401)},
                                  kwargs=api_collection, api=True),
    "api:import": Case(get=API_STORY, api=True,
                       kwargs=lambda world: {"import_id": collection_of(world).imports.get().pk}),
    # The admin's own pages; its model pages follow from the registry (admin_case).
    "admin:index": Case(get=STAFF_ONLY, privileged="staff"),
    "admin:login": Case(get=Roles(200, 200, 302, 200), changes={"post": everyone(200)}, privileged="staff",
                        data=lambda world: {"username": "nobody", "password": "wrong"}),
    # Someone not staff is sent to the admin's index (and from there to log in); staff log out with a POST.
    "admin:logout": Case(get=Roles(302, 302, 405, 302), changes={"post": everyone(302)}, privileged="staff"),
    "admin:password_change": Case(get=STAFF_ONLY, privileged="staff"),
    "admin:password_change_done": Case(get=STAFF_ONLY, privileged="staff"),
    "admin:jsi18n": Case(get=STAFF_ONLY, privileged="staff"),
    "admin:autocomplete": Case(get=STAFF_ONLY, privileged="staff",
                               query="?app_label=alignment&model_name=story&field_name=owner"),
    "admin:app_list": Case(get=STAFF_ONLY, privileged="staff", kwargs=lambda world: {"app_label": "alignment"}),
    "admin:view_on_site": Case(
        get=Roles(ADMIN_LOGIN, ADMIN_LOGIN, 302, ADMIN_LOGIN), privileged="staff",
        kwargs=lambda world: {"content_type_id": ContentType.objects.get_for_model(Story).pk,
                              "object_id": world.story.pk},
    ),
    "admin:auth_user_password_change": Case(get=STAFF_ONLY, privileged="staff",
                                            kwargs=lambda world: {"id": world.owner.pk}),
}

# The admin's pages of every registered model: the list, add, an object's page, its history and its deletion
# (a POST for the deletion itself: only staff may).
ADMIN_MODEL_VIEWS = ("changelist", "add", "change", "history", "delete")


def first_pk(model) -> str:
    return quote(model._default_manager.first().pk)


def admin_model_cases() -> dict[str, Case]:
    cases = {}
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        # The audit log is read-only, to staff too: its add and delete pages refuse, and there is nothing to post.
        # API tokens are made by manage.py api_token only (the one place a key is shown), and deleted here; files
        # kept for an upload form come from the form only, shared links from their story's owner only, and glossary
        # re-checks from a change to a glossary only.
        writable = model is not AuditEntry
        for view in ADMIN_MODEL_VIEWS:
            refused = (not writable and view in ("add", "delete")) or (
                model in (ApiToken, PendingFile, ShareLink, GlossaryRecheck) and view == "add")
            cases[prefix + view] = Case(
                get=Roles(ADMIN_LOGIN, ADMIN_LOGIN, 403, ADMIN_LOGIN) if refused else STAFF_ONLY, privileged="staff",
                kwargs=(lambda world, model=model: {"object_id": first_pk(model)})
                if view in ("change", "history", "delete") else (lambda world: {}),
                changes={"post": Roles(ADMIN_LOGIN, ADMIN_LOGIN, 302, ADMIN_LOGIN)} if view == "delete" and writable
                else {},
                data=lambda world: {"post": "yes"},
            )
    return cases


def unnamed_case(pattern: str) -> Case | None:
    """Routes without a name, by their pattern: the admin's catch-all (a 404 for staff, its login page for anyone
    else), and its old-style object URLs, which redirect anyone to the object's change page, where the check is."""
    root = settings.ADMIN_PATH
    if pattern == root + "(?P<url>.*)$":
        return Case(get=Roles(ADMIN_LOGIN, ADMIN_LOGIN, 404, ADMIN_LOGIN), privileged="staff",
                    path=lambda world: f"/{root}no-such-page/")
    for model in admin.site._registry:
        base = f"{root}{model._meta.app_label}/{model._meta.model_name}/"
        if pattern == base + "<path:object_id>/":
            return Case(get=everyone(302), privileged="staff",
                        path=lambda world, base=base, model=model: f"/{base}{first_pk(model)}/")
    return None


def all_cases() -> dict[str, Case]:
    return {**ROUTES, **admin_model_cases()}


def case_for(route: str) -> Case | None:
    """The case of a route, by its name or, for one without, its pattern."""
    return all_cases().get(route) or unnamed_case(route)


def walk(patterns=None, prefix="", namespace=""):
    """(name, pattern) for every route, names with their namespaces; name is None for an unnamed route."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = ":".join(filter(None, [namespace, entry.name])) if entry.name else None
            yield name, prefix + str(entry.pattern)


def route_ids() -> list[str]:
    """Every route, by name, or by pattern when it has none."""
    return [name or pattern for name, pattern in walk()]


# ---------------------------------------------------------------------------------------------------- The world


@dataclass
class World:
    owner: object
    other: object
    staff: object
    story: Story
    pair: Pair
    divergence: Divergence
    tokens: dict
    link: ShareLink  # a working link to the story


@pytest.fixture
def world(owner, other_user, staff, no_broker, monkeypatch):
    story = build_story(owner, [
        (["The mayor opened the bridge."], ["Мэр открыл мост."], []),
        (["It cost 42 million dollars."], ["Он стоил 43 миллиона долларов."],
         [Div("number", "42 in English, 43 in Russian.", 0.8, en=["42"], ru=["43"])]),
        (["Reporting by Jane Doe."], [], [Div("only_en", "Only in the English version.", 0.3)]),
    ], title=SECRET_TITLE)
    SimilarityMap.objects.create(story=story, rows=3, cols=2, en_block=1, ru_block=1, cells=bytes(6))
    Group.objects.create(name="editors")  # a row for the admin's group pages
    audit.record(AuditAction.CREATE, story, owner, "page")  # and one for the audit log's
    # A collection holding the story, with an import of one item and a line of furniture: rows for the
    # collections' pages and the admin's.
    collection = Collection.objects.create(owner=owner, name="Olga's collection")
    collection.stories.add(story)
    batch = ImportBatch.objects.create(collection=collection, owner=owner, source=ImportBatch.Source.ZIP)
    ImportItem.objects.create(batch=batch, row=1, name=SECRET_TITLE, status=ImportItemStatus.QUEUED, story=story)
    CollectionFurniture.objects.create(collection=collection, language="en", key="k" * 64, text="Subscribe.",
                                       source=FurnitureSource.LEARNED, stories=3)
    PendingFile.objects.create(owner=owner, file_name="kept.html", data=b"<p>Kept.</p>")
    # A name in her glossary and one in her collection's, and a re-check of her stories.
    GlossaryEntry.objects.create(owner=owner, en="Mayor", ru="Мэр")
    GlossaryEntry.objects.create(owner=owner, collection=collection, en="Mayor", ru="Мэр")
    GlossaryRecheck.objects.create(owner=owner)
    # A link to the number divergence, chosen: a verdict would make running the story again ask first.
    link = sharing.create_link(story, owner, ShareScope.CHOSEN, 7,
                               [Divergence.objects.get(pair__story=story, kind="number").pk])
    keys = {role: tokens.issue(user)[1]
              for role, user in (("owner", owner), ("other", other_user), ("staff", staff))}
    # /healthz asks the broker and pings the workers; here both answer at once.
    monkeypatch.setattr(health, "_broker", lambda: "ok")
    monkeypatch.setattr(health.celery_app.control, "ping", lambda timeout: [])
    cache.clear()
    return World(owner, other_user, staff, story, story.pairs.order_by("order").first(),
                 Divergence.objects.filter(pair__story=story).first(), keys, link)


def client_for(role: str, world: World, case: Case, **client_kwargs) -> Client:
    client = Client(**client_kwargs)
    if role == "anon":
        return client
    if case.api:
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {world.tokens[role]}"
    else:
        client.force_login(getattr(world, role))
    return client


def ask(client: Client, method: str, url: str, case: Case, world: World, **extra):
    headers = {"HTTP_HX_REQUEST": "true"} if case.htmx else {}
    if method == "get":
        return client.get(url, **headers, **extra)
    content_type = {"content_type": "application/json"} if case.api else {}
    return getattr(client, method)(url, case.data(world), **content_type, **headers, **extra)


def meets(response, expected) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith(reverse("login") + "?next=")
    if expected == ADMIN_LOGIN:
        return response.status_code == 302 and response["Location"].startswith(reverse("admin:login") + "?next=")
    return response.status_code == expected


def snapshot():
    """What a refused request must not change."""
    return (
        list(Story.objects.order_by("pk").values_list("pk", "title")),
        Document.objects.count(), Sentence.objects.count(), Pair.objects.count(), Job.objects.count(),
        list(Divergence.objects.order_by("pk").values_list("pk", "verdict", "note")),
        Edit.objects.count(), Group.objects.count(), ApiToken.objects.count(),
        list(ShareLink.objects.order_by("pk").values_list("pk", "revoked")),
        list(GlossaryEntry.objects.order_by("pk").values_list("pk", "en", "ru")), GlossaryRecheck.objects.count(),
    )


def leaks(role: str, route: str, response) -> bool:
    """Whether a role that may not see the story got its title (staff may, in the admin)."""
    if role == "owner" or (role == "staff" and route.startswith(("admin:", settings.ADMIN_PATH))):
        return False
    if route in SHARED_ROUTES and response.status_code == 200:
        return False
    return SECRET_TITLE in response.content.decode(errors="replace").replace("&#x27;", "'")


def check_route(route: str, world: World) -> list[str]:
    """What went other than expected, for each method and role, in words."""
    case = case_for(route)
    url = case.url(route, world)
    order = [role for role in ROLES if role != case.privileged] + [case.privileged]
    problems = []
    for method, answers in [("get", case.get), *case.changes.items()]:
        before = snapshot()
        for role in order:
            if role == case.privileged and snapshot() != before:
                problems.append(f"{method.upper()} {url} by a role other than {role} changed the database")
            response = ask(client_for(role, world, case), method, url, case, world)
            expected = getattr(answers, role)
            if not meets(response, expected):
                where = f" to {response['Location']}" if response.has_header("Location") else ""
                problems.append(
                    f"{method.upper()} {url} as {role}: expected {expected}, got {response.status_code}{where}"
                )
            if leaks(role, route, response):
                problems.append(f"{method.upper()} {url} as {role}: the answer holds the story's title")
    return problems


# ---------------------------------------------------------------------------------------------------- The tests


def test_every_route_has_a_case():
    missing = [route for route in route_ids() if case_for(route) is None]
    assert not missing, (
        "These routes have no authorization case in tests/security/test_authz.py (add them to ROUTES, with what "
        f"the owner, another user, staff and an anonymous visitor get): {', '.join(missing)}"
    )


def test_every_case_names_a_route_that_exists():
    names = {name for name, _ in walk() if name}
    stale = sorted(set(ROUTES) - names)
    assert not stale, f"ROUTES lists routes that no longer exist: {', '.join(stale)}"


def test_the_walk_finds_the_pages_the_api_and_the_admin():
    found = set(route_ids())
    assert {"story", "upload", "api:story", "admin:index", "admin:alignment_story_change"} <= found
    assert settings.ADMIN_PATH + "(?P<url>.*)$" in found  # and the routes without a name


@pytest.mark.parametrize("route", route_ids())
def test_each_role_gets_what_the_route_allows(world, route):
    problems = check_route(route, world)
    assert not problems, "\n".join(problems)


def test_the_walk_catches_a_route_open_to_the_wrong_people(world, monkeypatch):
    # The harness itself: were the story page meant for everyone, the walk would say who was refused.
    monkeypatch.setitem(ROUTES, "story", Case(get=everyone(200), kwargs=code))
    problems = check_route("story", world)
    assert any("as other: expected 200, got 404" in p for p in problems)
    assert any("as anon: expected 200, got 302" in p for p in problems)


def test_the_walk_catches_a_refused_request_that_changed_something(world, monkeypatch):
    # Deleting is the owner's; were another user's delete to succeed, the walk would notice the lost story.
    monkeypatch.setitem(ROUTES, "story_delete", Case(
        get=STORY_PAGE, changes={"post": STORY_CHANGE}, kwargs=code, privileged="other",
    ))
    problems = check_route("story_delete", world)
    assert any("by a role other than other changed the database" in p for p in problems)


# ---------------------------------------------------------------------------------------------------- Shared links


def _revoked(world) -> str:
    sharing.revoke(world.link, world.owner)
    return sharing.token_for(world.link)


def _expired(world) -> str:
    ShareLink.objects.filter(pk=world.link.pk).update(expires=timezone.now() - timedelta(seconds=1))
    return sharing.token_for(world.link)


def _tampered(world) -> str:
    code, signature = sharing.token_for(world.link).split(".")
    return f"{code}.{signature[::-1]}"


def _made_up(world) -> str:
    """Another link's code, signed with this link's signature: the signature covers the code."""
    other = ShareLink.objects.create(story=world.story, expires=timezone.now() + timedelta(days=1))
    return f"{other.code.hex}.{sharing.token_for(world.link).split('.')[1]}"


def _owner_gone(world) -> str:
    world.owner.is_active = False
    world.owner.save()
    return sharing.token_for(world.link)


LINK_STATES = {"revoked": _revoked, "expired": _expired, "tampered": _tampered, "made up": _made_up,
               "owner deactivated": _owner_gone}


@pytest.mark.parametrize("route", SHARED_ROUTES)
@pytest.mark.parametrize("state", LINK_STATES)
def test_a_shared_link_that_does_not_work_is_a_404_for_every_role(world, route, state):
    token = LINK_STATES[state](world)
    url = reverse(route, kwargs={"token": token})
    opened = AuditEntry.objects.filter(action=AuditAction.SHARE_OPEN)
    for role in ROLES:
        response = client_for(role, world, ROUTES[route]).get(url)
        assert response.status_code == 404, f"{state} link, {role}: {response.status_code}"
        assert SECRET_TITLE not in response.content.decode().replace("&#x27;", "'"), f"{state} link, {role}"
    assert not opened.exists()


def test_a_working_shared_link_opens_for_every_role_and_each_opening_is_recorded(world):
    url = reverse("shared", kwargs=shared_token(world))
    for role in ROLES:
        response = client_for(role, world, ROUTES["shared"]).get(url)
        assert response.status_code == 200 and "42 in English, 43 in Russian." in response.content.decode()
    entries = AuditEntry.objects.filter(action=AuditAction.SHARE_OPEN)
    assert sorted(e.username for e in entries) == sorted(["", "boris", "admin", "olga"])
