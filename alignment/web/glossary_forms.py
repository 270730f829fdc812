"""The forms of the glossary pages: an entry (added on the glossary page or from a story's name divergence, or
changed), and a file to import."""

from __future__ import annotations

from django import forms
from django.conf import settings

from alignment.glossary import entries
from alignment.glossary.entries import MAX_NOTE, MAX_SPELLING, MAX_VARIANTS, Scope, Spelled

class EntryForm(forms.Form):
    """A name's spellings. With several ``scopes`` (a story's "Add to glossary": the user's own glossary and its
    collections'), a choice of whose glossary it goes into; ``scope`` is the one chosen once the form is valid."""

    glossary = forms.ChoiceField(label="Into", required=False)
    en = forms.CharField(label="English", max_length=MAX_SPELLING, error_messages={
        "required": "Give the English spelling.",
        "max_length": "A spelling is at most %(limit_value)d characters.",
    })
    ru = forms.CharField(label="Russian", max_length=MAX_SPELLING, error_messages={
        "required": "Give the Russian spelling (a case form will do: the check reads every case).",
        "max_length": "A spelling is at most %(limit_value)d characters.",
    })
    en_variants = forms.CharField(label="Other English spellings", required=False, max_length=2000)
    ru_variants = forms.CharField(label="Other Russian spellings", required=False, max_length=2000)
    note = forms.CharField(required=False, max_length=MAX_NOTE, widget=forms.TextInput(attrs={"size": 60}))

    def __init__(self, *args, scopes: dict[str, Scope], entry=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scopes, self.entry = scopes, entry
        self.fields["glossary"].choices = [(key, scope.title) for key, scope in scopes.items()]
        if len(scopes) < 2:
            del self.fields["glossary"]
        self.scope: Scope | None = None
        self.spelled: Spelled | None = None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        self.scope = self.scopes.get(data.get("glossary") or "") or next(iter(self.scopes.values()))
        spelled = Spelled.of(data["en"], data["ru"], entries.split_variants(data["en_variants"]),
                             entries.split_variants(data["ru_variants"]), data["note"])
        for side, variants in (("en", spelled.en_variants), ("ru", spelled.ru_variants)):
            if len(variants) > MAX_VARIANTS:
                self.add_error(f"{side}_variants", f"At most {MAX_VARIANTS} other spellings.")
            elif any(len(v) > MAX_SPELLING for v in variants):
                self.add_error(f"{side}_variants", f"A spelling is at most {MAX_SPELLING} characters.")
        existing = entries.find(self.scope, spelled.en, spelled.ru)
        if existing is not None and existing != self.entry:
            self.add_error(None, f"{self.scope.title} already pairs {existing.en} with {existing.ru}: change that "
                                 "entry instead.")
        self.spelled = spelled
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label="A glossary file", help_text="CSV (columns en, ru, en_variants, ru_variants, note) "
                           "or TBX.", error_messages={"required": "Choose a CSV or TBX file."})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.SVERKA_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The file is over {settings.SVERKA_MAX_UPLOAD_BYTES // 1_048_576} MB.")
        return upload
