"""A collection's furniture: the lines it counts as its outlet's own (learned from its stories, or added by its
owner), and those struck off, with the owner's controls to add, strike off and restore a line."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from alignment.corpus import furniture
from alignment.models import CollectionFurniture, FurnitureSource, Language
from alignment.web.access import get_collection_for_user


class FurnitureForm(forms.Form):
    language = forms.ChoiceField(choices=Language.choices)
    text = forms.CharField(max_length=2000, widget=forms.TextInput(attrs={"size": 60}), error_messages={
        "required": "Paste the line that is furniture.",
        "max_length": "A line of furniture is at most %(limit_value)d characters.",
    })


@login_required
def collection_furniture(request, code):
    collection = get_collection_for_user(request, code)
    form = FurnitureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        furniture.add(collection, form.cleaned_data["language"], form.cleaned_data["text"])
        messages.success(request, "Added. The collection's stories count it as furniture from their next run.")
        return redirect("collection_furniture", code=collection.code)
    entries = collection.furniture.order_by("source", "language", "-stories", "text")
    context = {
        "collection": collection, "form": form,
        "furniture": [e for e in entries if e.source != FurnitureSource.REMOVED],
        "struck": [e for e in entries if e.source == FurnitureSource.REMOVED],
    }
    return render(request, "collections/furniture.html", context)


@login_required
@require_POST
def collection_furniture_entry(request, code, entry_id: int):
    collection = get_collection_for_user(request, code)
    entry = get_object_or_404(CollectionFurniture, pk=entry_id, collection=collection)
    if request.POST.get("action") == "restore":
        furniture.restore(entry)
        messages.success(request, "Counted as furniture again.")
    else:
        furniture.strike(entry)
        messages.success(request, "Struck off: the collection's stories no longer count it as furniture.")
    return redirect("collection_furniture", code=collection.code)
