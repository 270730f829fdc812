import pytest

from alignment.ingest import markdown_to_text, read_upload
from tests.ingest.helpers import LIMIT
from tests.stall import comes_back

def test_it_strips_markdown_lightly_and_keeps_the_paragraphs():
    source = (
        "# Shark injures boy #\n"
        "\n"
        "A **shark** attacked a _13-year-old_ boy, *officials* said. ![photo](shark.jpg)\n"
        "Read [the report](https://example.org/report \"Report\") or [the notes][1].\n"
        "\n"
        "> \"I got bit!\" he yelled.\n"
        "\n"
        "Subhead\n"
        "-------\n"
        "- a list item with snake_case and 2 * 3 = 6\n"
        "Prices rose \\*sharply\\*.\n"
        "\n"
        "[1]: https://example.org/notes\n"
    )
    result = read_upload("story.md", source.encode("utf-8"), LIMIT)
    assert result.text == (
        "Shark injures boy\n"
        "\n"
        "A shark attacked a 13-year-old boy, officials said. \n"
        "Read the report or the notes.\n"
        "\n"
        "\"I got bit!\" he yelled.\n"
        "\n"
        "Subhead\n"
        "\n"
        "- a list item with snake_case and 2 * 3 = 6\n"
        "Prices rose *sharply*.\n"
        "\n"
        "\n"
    )


def test_it_works_on_text_directly():
    assert markdown_to_text("## Title\n\n**Bold**") == "Title\n\nBold"


# Lines built so that a pattern rescanning the rest of the line from every mark (quadratic) would take minutes.
STALLING_LINES = {
    "open brackets": "[" * 200_000,
    "links without a closing parenthesis": "[a](" * 250_000,
    "images without an end": "![" * 100_000,
    "autolinks without an end": "<http:" * 40_000,
    "strong without a closing mark": " **a" * 50_000,
    "emphasis without a closing mark": " *a" * 70_000,
    "underscores without a closing mark": " _a" * 70_000,
    "a heading with a long run of spaces": "# a" + " " * 200_000 + "b",
}


@pytest.mark.parametrize("line", STALLING_LINES.values(), ids=STALLING_LINES.keys())
def test_it_strips_a_long_line_built_to_stall_it_and_keeps_its_text(line):
    with comes_back():
        text = markdown_to_text(line)
    assert len(text) >= len(line) - 2


def test_it_still_unwraps_every_pair_on_a_long_line():
    assert markdown_to_text("**a** *b* [c](d) " * 20_000) == "a b c " * 20_000


@pytest.mark.parametrize(
    "text",
    ["*a\nb*", "**a\nb**", "_a\nb_", "`a\nb`", "[a\nb](c)", "[a](b\nc)", "![a\n](b)", "[a\n]: b", "\\*a*\nb*"],
)
def test_no_mark_pairs_with_one_on_another_line(text):
    # The rules run over the whole text at once, not line by line: none may reach across a line break.
    assert markdown_to_text(text) == text.replace("\\", "")


def test_it_reads_many_short_marked_lines_as_it_reads_one():
    lines = ["# Title #", "> quoted *a* b", "- [x](y) and `z`", "***", "Text_with_snake **b** \\*c\\*"]
    assert markdown_to_text("\n".join(lines * 1_000)) == "\n".join(map(markdown_to_text, lines * 1_000))
