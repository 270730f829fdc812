from alignment.ingest import markdown_to_text, read_upload
from tests.ingest.helpers import LIMIT

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
