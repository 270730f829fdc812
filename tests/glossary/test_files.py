"""A glossary as CSV and TBX: what is exported reads back the same (TBX through translate-toolkit, as terminology
tools read it), what such tools write is read in, and a bad file or row is refused with its reason."""

import csv
import io

import pytest
from translate.storage import tbx

from alignment.glossary import files
from alignment.glossary.entries import Scope, Spelled, merge
from tests.glossary.conftest import add

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(owner):
    return [
        add(owner, "Putin", "Путин", en_variants=["Vladimir Putin"], ru_variants=["Владимир Путин"],
            note="President; “quoted” & <tagged>"),
        add(owner, "Ivan the Terrible", "Иван Грозный"),
        add(owner, "=HYPERLINK(1)", "Зло", note="-2+3"),  # opens like a formula
    ]


def as_read(entries):
    return [Spelled.of(e.en, e.ru, e.en_variants, e.ru_variants, e.note) for e in entries]


def test_a_csv_export_reads_back_the_same(entries):
    data = files.export_csv(entries)
    assert data.startswith(b"\xef\xbb\xbf")  # spreadsheets read UTF-8 only with the mark
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == files.CSV_HEADER
    assert rows[1] == ["Putin", "Путин", "Vladimir Putin", "Владимир Путин", "President; “quoted” & <tagged>"]
    assert rows[3][0] == "'=HYPERLINK(1)" and rows[3][4] == "'-2+3"  # a spreadsheet shows them as text
    found = files.read(data, "glossary.csv")
    assert found.entries == as_read(entries) and found.problems == []


def test_a_tbx_export_reads_back_with_translate_toolkit(entries):
    store = tbx.tbxfile.parsestring(files.export_tbx(entries, "My glossary"))
    putin = store.units[0]
    assert [u.source for u in store.units] == ["Putin", "Ivan the Terrible", "=HYPERLINK(1)"]
    assert [u.target for u in store.units] == ["Путин", "Иван Грозный", "Зло"]
    assert [t.text for t in putin.get_source_terms()] == ["Putin", "Vladimir Putin"]
    assert [t.text for t in putin.get_target_terms()] == ["Путин", "Владимир Путин"]
    assert putin.getnotes() == "President; “quoted” & <tagged>"
    assert files.read(files.export_tbx(entries, "My glossary"), "glossary.tbx").entries == as_read(entries)


def test_a_tbx_written_by_translate_toolkit_is_read():
    store = tbx.tbxfile(sourcelanguage="en", targetlanguage="ru")
    unit = store.addsourceunit("Kyiv")
    unit.settarget("Киев")
    unit.addnote("The capital")
    found = files.read(bytes(store), "terms.tbx")
    assert found.entries == [Spelled("Kyiv", "Киев", note="The capital")]


def test_a_tbx_3_file_is_read_by_its_concept_entries():
    data = """<?xml version="1.0" encoding="UTF-8"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en"><text><body>
  <conceptEntry id="c1"><descrip type="definition">A city</descrip>
    <langSec xml:lang="en-GB"><termSec><term>Kyiv</term></termSec><termSec><term>Kiev</term></termSec></langSec>
    <langSec xml:lang="ru"><termSec><term>Киев</term></termSec></langSec></conceptEntry>
  <conceptEntry id="c2"><langSec xml:lang="de"><termSec><term>Kiew</term></termSec></langSec></conceptEntry>
</body></text></tbx>""".encode()
    found = files.read(data)
    assert found.entries == [Spelled("Kyiv", "Киев", ("Kiev",), note="A city")]
    assert found.problems == ["Entry 2: no English and no Russian spelling."]


def test_a_csv_may_name_its_columns_in_words_and_separate_them_by_semicolons():
    data = "English;Russian;note\nGazprom;Газпром;\n;Сбербанк;no English\nSber;Сбер;bank\n".encode()
    found = files.read(data, "terms.csv")
    assert [(s.en, s.ru, s.note) for s in found.entries] == [("Gazprom", "Газпром", ""), ("Sber", "Сбер", "bank")]
    assert found.problems == ["Row 3: no English spelling."]


@pytest.mark.parametrize("data, name, message", [
    (b"en,ru\n\xff\xfe,x\n", "terms.csv", "not UTF-8"),
    (b"name,translation\nPutin,\xd0\x9f\n", "terms.csv", "header row"),
    (b"<martif><text><body></body></text></martif>", "terms.tbx", "no entries"),
    (b"<martif><termEntry>", "terms.tbx", "not readable XML"),
    (b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><martif>&b;</martif>',
     "bomb.tbx", "not readable XML"),
    (b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><martif>&x;</martif>',
     "external.tbx", "not readable XML"),
])
def test_a_file_that_is_no_glossary_is_refused_saying_why(data, name, message):
    with pytest.raises(files.GlossaryFileError, match=message):
        files.read(data, name)


def test_a_spelling_too_long_or_too_many_variants_leaves_the_row_out():
    data = ("en,ru,en_variants\n" + "A" * 201 + ",Б,\nB,В," + ";".join(f"v{i}" for i in range(11)) + "\nC,Ц,\n")
    found = files.read(data.encode(), "terms.csv")
    assert [s.en for s in found.entries] == ["C"]
    assert found.problems == ["Row 2: a spelling is longer than 200 characters.",
                              "Row 3: more than 10 other spellings on one side."]


def test_merging_a_file_adds_new_pairs_and_widens_those_listed(owner):
    putin = add(owner, "Putin", "Путин", note="President")
    scope = Scope(owner)
    added, updated, pairs = merge(scope, [Spelled.of("putin", "путин", ["V. Putin"]), Spelled.of("Lavrov", "Лавров")])
    assert (added, updated) == (1, 1)
    putin.refresh_from_db()
    assert (putin.en, putin.en_variants, putin.note) == ("Putin", ["V. Putin"], "President")
    assert [p.en for p in pairs] == [("Putin", "V. Putin"), ("Lavrov",)]

