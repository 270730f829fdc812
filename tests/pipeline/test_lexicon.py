from importlib import resources

import pytest

from alignment.pipeline import lexicon

FILES = sorted(
    f.name for f in resources.files("alignment.pipeline.lexicon").iterdir() if f.name.endswith((".txt", ".tsv"))
)


@pytest.mark.parametrize("filename", FILES)
def test_every_word_list_says_what_it_is_and_where_it_comes_from(filename):
    lines = resources.files("alignment.pipeline.lexicon").joinpath(filename).read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith("#")]
    assert lines[0].startswith("# ") and any(line.startswith("# source: ") for line in header)


def test_it_reads_a_word_list_and_a_table():
    assert {"the", "и"} <= lexicon.words("function_words")
    assert ("ъ",) in lexicon.table("cyrillic_to_latin")  # a letter that has no Latin counterpart
    assert lexicon.entries("en_pronouns") == ("he", "she")


def test_the_package_data_ships_the_word_lists():
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    globs = config["tool"]["setuptools"]["package-data"]["alignment"]
    assert "pipeline/lexicon/*.txt" in globs and "pipeline/lexicon/*.tsv" in globs
