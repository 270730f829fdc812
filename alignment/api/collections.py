"""The JSON API of collections: list and make them, read one with its progress, add stories to it, start an
import into it and follow that import. A collection is addressed by its number (``"id"``, as the command line's
``import_pairs`` prints it); another user's is a 404, as a story is.

    GET  /api/collections/                  [{"id", "name", "stories"}]
    POST /api/collections/                  {"name", "description"?, "outlet"?} -> 201 the collection
    GET  /api/collections/<id>/             {"id", "name", "description", "outlet", "stories", "queued", "running",
                                             "done", "failed"}
    POST /api/collections/<id>/stories/     {"stories": [story ids]} -> the collection
    POST /api/collections/<id>/import/      multipart "file": a zip of pairs or a manifest -> 202 the import
    GET  /api/imports/<id>/                 {"id", "collection", "queued", "running", "done", "failed", "items"}
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.http import Http404
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from rest_framework import status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from alignment.corpus import imports
from alignment.models import Collection, ImportBatch, Story
from alignment.ops.limits import BatchUploadHandler
from alignment.web.access import get_collection_for_user
from alignment.web.collections import CollectionForm, ImportForm


def get_collection(request, collection_id: str) -> Collection:
    try:
        return get_collection_for_user(request, collection_id)
    except Http404:
        raise NotFound("No collection with this id.") from None


def collection_json(collection: Collection, with_progress: bool = True) -> dict:
    data = {"id": collection.pk, "name": collection.name, "description": collection.description,
            "outlet": collection.outlet, "stories": collection.stories.count()}
    if with_progress:
        data.update(imports.collection_progress(collection).as_json())
    return data


def _form_errors(form) -> Response:
    return Response({"errors": {field: list(errors) for field, errors in form.errors.items()}},
                    status=status.HTTP_400_BAD_REQUEST)


@api_view(["GET", "POST"])
def collection_list(request):
    if request.method == "POST":
        form = CollectionForm(request.data, owner=request.user)
        if not form.is_valid():
            return _form_errors(form)
        collection = form.save(commit=False)
        collection.owner = request.user
        collection.save()
        return Response(collection_json(collection), status=status.HTTP_201_CREATED)
    owned = Collection.objects.filter(owner=request.user).order_by("name").prefetch_related("stories")
    return Response([{"id": c.pk, "name": c.name, "stories": len(c.stories.all())} for c in owned])


@api_view(["GET"])
def collection_detail(request, collection_id: str):
    return Response(collection_json(get_collection(request, collection_id)))


@api_view(["POST"])
def collection_stories(request, collection_id: str):
    """Add the caller's stories, named by their ids, to the collection. Ids that name no story of the caller's
    are listed in a 400 and nothing is added."""
    collection = get_collection(request, collection_id)
    given = request.data.get("stories") if isinstance(request.data, dict) else None
    if not isinstance(given, list) or not given:
        return Response({"errors": {"stories": ["Give the ids of the stories to add, as a list."]}},
                        status=status.HTTP_400_BAD_REQUEST)
    codes, unknown = [], []
    for value in given:
        try:
            codes.append(uuid.UUID(str(value)))
        except ValueError:
            unknown.append(str(value)[:100])
    found = {s.code: s for s in Story.objects.filter(owner=request.user, code__in=codes)}
    unknown += [str(code) for code in codes if code not in found]
    if unknown:
        return Response({"errors": {"stories": [f"No story with the id {value}." for value in unknown]}},
                        status=status.HTTP_400_BAD_REQUEST)
    collection.stories.add(*found.values())
    return Response(collection_json(collection))


@api_view(["POST"])
@parser_classes([MultiPartParser, FormParser, JSONParser])
def collection_import(request, collection_id: str):
    collection = get_collection(request, collection_id)
    upload = request.FILES.get("file")
    if upload is not None and upload.size > settings.SVERKA_BATCH_MAX_UPLOAD_BYTES:
        return Response({"errors": {"file": ["The batch is over the size limit; split it."]}},
                        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    form = ImportForm(files=request.FILES)
    if not form.is_valid():
        return _form_errors(form)
    record = imports.start_import(collection, request.user, form.batch, form.source, upload.name)
    return Response(import_json(record), status=status.HTTP_202_ACCEPTED)


def import_json(record: ImportBatch) -> dict:
    items = record.items.order_by("row")
    return {
        "id": record.pk, "collection": record.collection_id, "source": record.source,
        **imports.progress(items).as_json(),
        "items": [
            {"row": item.row, "name": item.name, "status": item.status, "reason": item.reason,
             "story": str(item.story.code) if item.story else None}
            for item in items.select_related("story")
        ],
    }


@api_view(["GET"])
def import_detail(request, import_id: int):
    record = ImportBatch.objects.filter(pk=import_id, owner=request.user).first()
    if record is None:
        raise NotFound("No import with this id.")
    return Response(import_json(record))


@csrf_exempt  # DRF checks the session's CSRF token itself; the handler must be chosen before the body is read
def collection_import_with_room(request, collection_id: str):
    """A batch's file may be larger than one story's side: its handler keeps up to SVERKA_BATCH_MAX_UPLOAD_BYTES."""
    request.upload_handlers = [BatchUploadHandler(request)]
    return collection_import(request, collection_id)


urlpatterns = [
    path("collections/", collection_list, name="collections"),
    path("collections/<str:collection_id>/", collection_detail, name="collection"),
    path("collections/<str:collection_id>/stories/", collection_stories, name="collection_stories"),
    path("collections/<str:collection_id>/import/", collection_import_with_room, name="collection_import"),
    path("imports/<int:import_id>/", import_detail, name="import"),
]
