"""The upload form: a title and two sides, each pasted or uploaded. The web page and the JSON API both
validate through it, so the two refuse the same input with the same messages."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.datastructures import MultiValueDict

from alignment import ingest
from alignment.models import PendingFile
from alignment.pipeline import Lang, PipelineError
from alignment.pipeline.types import NAMES
from alignment.pipeline.validate import check_languages, check_text
from alignment.stories import SideInput

SIDES = (Lang.EN, Lang.RU)
# Per side: the keys that travel together when the two sides are swapped.
SIDE_KEYS = ("text", "url", "file_name", "encoding", "pending")
TOO_LARGE = "too_large"  # the code ingest uses for a file over the limit, too
SWAPPED = "swapped"
_TRUE = {"on", "true", "1", "yes"}


def _text_field(lang: Lang) -> forms.CharField:
    return forms.CharField(
        label=f"{NAMES[lang]} text", required=False, widget=forms.Textarea(attrs={"rows": 12, "lang": lang.value})
    )


def _file_field(lang: Lang) -> forms.FileField:
    return forms.FileField(
        label=f"{NAMES[lang]} file", required=False, help_text=ingest.SUPPORTED,
        allow_empty_file=True,  # refused by ingest, with a message that names the file
        widget=forms.FileInput(attrs={"accept": ".txt,.md,.html,.htm,.docx"}),
    )


class WebURLField(forms.URLField):
    """A web page's address: http or https only. The story page links to it, and a javascript: or data: link
    there would run in the page (the admin's URLField would take ftp: too)."""

    default_validators = [URLValidator(schemes=["http", "https"])]
    default_error_messages = {"invalid": "Enter the address of a web page, starting with http:// or https://."}


def _url_field() -> forms.URLField:
    return WebURLField(label="Source URL", required=False, max_length=2000, assume_scheme="https")


def _hidden(max_length: int) -> forms.CharField:
    return forms.CharField(required=False, max_length=max_length, widget=forms.HiddenInput)


class UploadForm(forms.Form):
    title = forms.CharField(max_length=300, error_messages={
        "required": "Give the story a title.",
        "max_length": "A title is at most %(limit_value)d characters; this one has %(show_value)d.",
    })
    en_text = _text_field(Lang.EN)
    en_file = _file_field(Lang.EN)
    en_url = _url_field()
    en_file_name = _hidden(ingest.MAX_NAME_CHARS)
    en_encoding = _hidden(40)
    en_pending = _hidden(36)
    ru_text = _text_field(Lang.RU)
    ru_file = _file_field(Lang.RU)
    ru_url = _url_field()
    ru_file_name = _hidden(ingest.MAX_NAME_CHARS)
    ru_encoding = _hidden(40)
    ru_pending = _hidden(36)
    swap = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, files=None, owner=None, **kwargs):
        super().__init__(data, files, **kwargs)
        self.offers_swap = False
        self._sides: dict[Lang, SideInput] = {}
        # A page or a .docx is a worker's to read (ingest.read_later): kept as it came, here and, should the form
        # come back with errors, as a PendingFile of its ``owner``'s, which the next submission takes back.
        self.owner = owner if owner is not None and owner.is_authenticated else None
        self._later: dict[Lang, ingest.Later] = {}
        self._kept: dict[Lang, int] = {}  # the PendingFile each side's file came from
        if self.is_bound:
            # A copy the form may write to: a file read once is moved into its text field, so a form shown
            # again with errors still holds it, and a swap happens in the data itself.
            self.data = self.data.copy()
            if isinstance(self.files, MultiValueDict):
                self.files = self.files.copy()
            else:  # a plain dict, as tests and scripts pass
                self.files = MultiValueDict({key: [upload] for key, upload in self.files.items()})
            if self._swap_requested():
                self._swap_sides()

    def _swap_requested(self) -> bool:
        # A "Swap them" button may come on top of the hidden field, so any of the values counts.
        values = self.data.getlist("swap") if hasattr(self.data, "getlist") else [self.data.get("swap")]
        return any(str(value).lower() in _TRUE for value in values)

    def _swap_sides(self) -> None:
        for key in SIDE_KEYS:
            en, ru = f"en_{key}", f"ru_{key}"
            self.data[en], self.data[ru] = self.data.get(ru, ""), self.data.get(en, "")
        en_files, ru_files = self.files.getlist("en_file"), self.files.getlist("ru_file")
        self.files.setlist("en_file", ru_files)
        self.files.setlist("ru_file", en_files)
        # Done once: the form shown again must not swap them back on the next submit.
        self.data["swap"] = ""

    def clean(self):
        cleaned = super().clean()
        texts = {lang: self._clean_side(lang) for lang in SIDES}
        # A side a worker reads is checked there, with the rest of the pipeline's checks.
        if all(isinstance(text, str) and text for text in texts.values()):
            self._check_languages(texts[Lang.EN], texts[Lang.RU])
        return cleaned

    def _clean_side(self, lang: Lang) -> str | ingest.Later | None:
        """The side's text, or its file for a worker to read, or None after adding the reason to the form."""
        name = NAMES[lang]
        text_field, file_field = f"{lang}_text", f"{lang}_file"
        text = ingest.normalize_newlines(self.cleaned_data.get(text_field) or "")
        upload = self.cleaned_data.get(file_field)
        file_name = encoding = ""
        if upload and text.strip():
            self.add_error(
                file_field,
                ValidationError(
                    f"You pasted the {name} text and chose a file too: keep one of them. Clear the text box to use "
                    "the file, or remove the file to use the text.",
                    code="both",
                ),
            )
            return None
        if upload:
            try:
                limit = settings.SVERKA_MAX_UPLOAD_BYTES
                ingest.check_size(ingest.clean_name(upload.name), upload.size, limit)
                data = upload.read(limit + 1)
                later = ingest.read_later(upload.name, data, limit)
                extracted = None if later else ingest.read_upload(upload.name, data, limit)
            except ingest.IngestError as exc:
                self.add_error(file_field, ValidationError(exc.message, code=exc.code))
                return None
            if later:
                return self._read_later(lang, later)
            text, file_name, encoding = extracted.text, extracted.file_name, extracted.encoding
            self._keep_file_text(lang, extracted)
        elif text.strip():  # typed or pasted, or read from a file in an earlier submission
            if self.cleaned_data.get(f"{lang}_pending"):  # the text replaces a file kept before
                file_name = encoding = self.data[f"{lang}_pending"] = self.data[f"{lang}_file_name"] = ""
            else:
                file_name, encoding = self._remembered_file(lang)
        elif self.cleaned_data.get(f"{lang}_pending"):
            later = self._kept_file(lang)
            return self._read_later(lang, later) if later else None
        else:
            self.add_error(
                text_field, ValidationError(f"Paste the {name} text or upload a file.", code="required")
            )
            return None
        error = self._text_problem(lang, text)
        if error:
            self.add_error(text_field, error)
            return None
        self._sides[lang] = SideInput(
            text=text, source_url=self.cleaned_data.get(f"{lang}_url") or "", file_name=file_name, encoding=encoding
        )
        return text

    def _read_later(self, lang: Lang, later: ingest.Later) -> ingest.Later:
        self._later[lang] = later
        self._sides[lang] = SideInput(
            text="", raw=later.data, file_name=later.file_name, source_url=self.cleaned_data.get(f"{lang}_url") or ""
        )
        return later

    def _kept_file(self, lang: Lang) -> ingest.Later | None:
        """The file this side was given in an earlier submission of the form, or None after saying why not."""
        token = self.cleaned_data.get(f"{lang}_pending") or ""
        kept = None
        if self.owner is not None:
            try:
                kept = PendingFile.objects.filter(owner=self.owner, token=token).first()
            except ValidationError:  # not a UUID: a hand-edited hidden field
                kept = None
        if kept is None:
            self.add_error(f"{lang}_file", ValidationError(
                f"The {NAMES[lang]} file chosen before is no longer kept (files are kept for "
                f"{settings.SVERKA_PENDING_FILE_HOURS} hours). Choose it again, or paste its text.", code="expired",
            ))
            return None
        self._kept[lang] = kept.pk
        return ingest.Later(data=bytes(kept.data), file_name=kept.file_name)

    def keep_files(self) -> None:
        """After errors: keep each side's file that a worker is to read, so that the form shown again holds it."""
        if self.owner is None:
            return
        for lang, later in self._later.items():
            if lang not in self._kept:
                kept = PendingFile.objects.create(owner=self.owner, file_name=later.file_name, data=later.data)
                self._kept[lang] = kept.pk
                self.data[f"{lang}_pending"] = str(kept.token)
            self.data[f"{lang}_file_name"] = later.file_name
            self.data[f"{lang}_encoding"] = ""
            self.files.pop(f"{lang}_file", None)

    def forget_kept_files(self) -> None:
        """Once the story holds them: the files kept for this form."""
        if self._kept:
            PendingFile.objects.filter(pk__in=self._kept.values()).delete()

    def _remembered_file(self, lang: Lang) -> tuple[str, str]:
        """The name and encoding of the file this side's text was read from in an earlier submission."""
        name = self.cleaned_data.get(f"{lang}_file_name") or ""
        try:
            return (ingest.clean_name(name), self.cleaned_data.get(f"{lang}_encoding") or "") if name else ("", "")
        except ingest.IngestError:  # a hand-edited hidden field; the text itself is fine
            return "", ""

    def _keep_file_text(self, lang: Lang, extracted: ingest.Extracted) -> None:
        self.data[f"{lang}_text"] = extracted.text
        self.data[f"{lang}_file_name"] = extracted.file_name
        self.data[f"{lang}_encoding"] = extracted.encoding
        self.files.pop(f"{lang}_file", None)

    def _text_problem(self, lang: Lang, text: str) -> ValidationError | None:
        max_chars = settings.SVERKA_MAX_UPLOAD_BYTES
        # Characters, not bytes: a file's text moved into the box must pass again when the form is resent,
        # and Russian in UTF-8 takes twice the bytes it took in Windows-1251.
        if len(text) > max_chars:
            return ValidationError(
                f"The {NAMES[lang]} text is {len(text):,} characters long; the limit is {max_chars:,} per side.",
                code=TOO_LARGE,
            )
        # Sentences are not counted here: splitting a megabyte takes pysbd about ten seconds, too long for a
        # request. The worker counts them and fails the job with the limit in words (pipeline.run._split).
        try:
            check_text(text, lang)
        except PipelineError as exc:
            return ValidationError(exc.message, code=exc.code)
        return None

    def _check_languages(self, en_text: str, ru_text: str) -> None:
        try:
            check_languages(en_text, ru_text)
        except PipelineError as exc:
            if exc.code == SWAPPED:
                self.offers_swap = True
                self.add_error(None, ValidationError("The English and Russian texts look swapped.", code=SWAPPED))
            else:
                self.add_error(f"{exc.side}_text", ValidationError(exc.message, code=exc.code))

    def sides(self) -> tuple[SideInput, SideInput]:
        """The English and the Russian side, after is_valid()."""
        if not self.is_valid():
            raise ValueError("sides() needs a valid form")
        return self._sides[Lang.EN], self._sides[Lang.RU]

    def error_status(self) -> int:
        """The HTTP status for this form's errors: 413 when a side is over the size limit, else 400."""
        too_large = any(e.code == TOO_LARGE for errors in self.errors.as_data().values() for e in errors)
        return 413 if too_large else 400
