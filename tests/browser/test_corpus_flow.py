"""A batch in a real browser: make a collection, import a zip of story pairs with a bad item, watch the import's
progress follow a real worker through htmx until every story is done, then open the collection's report and
search it."""

import pytest
from playwright.sync_api import expect

from alignment.models import Collection, ImportBatch
from tests.corpus.conftest import pair, zip_of
from tests.worker_process import worker_log_tail

JOB_TIMEOUT_MS = 240_000  # a cold worker loads its model first; a busy 2-core machine is slow at it


def test_a_batch_is_imported_processed_reported_and_searched(page, worker, screenshot, tmp_path):
    proc, log = worker
    page.get_by_role("link", name="Collections").first.click()
    page.get_by_label("Name").fill("Regional budgets")
    page.get_by_label("Outlet").fill("The Wire")
    page.get_by_role("button", name="Make the collection").click()
    expect(page.get_by_role("heading", name="Regional budgets")).to_be_visible()
    collection = Collection.objects.get(name="Regional budgets")

    files = {}
    for k in (1, 2, 3):
        en, ru = pair(k)
        files[f"budget_{k}.en.txt"], files[f"budget_{k}.ru.txt"] = en, ru
    files["orphan.en.txt"] = "An English story whose Russian version never came."
    batch = tmp_path / "budgets.zip"
    batch.write_bytes(zip_of(files))
    page.get_by_role("link", name="Import a batch").first.click()
    page.get_by_label("Zip of file pairs, or a manifest").set_input_files(batch)
    screenshot("import-form")
    page.get_by_role("button", name="Import").click()

    record = ImportBatch.objects.get(collection=collection)
    expect(page).to_have_url(f"/imports/{record.code}/")
    progress = page.locator("#import-progress")
    expect(progress.get_by_role("progressbar", name="Import progress")).to_be_visible()
    expect(progress).to_contain_text("orphan")  # the bad item, with its reason, while the rest go on
    screenshot("import-progress")
    page.evaluate("window.stillTheSamePage = true")
    try:
        expect(progress).to_contain_text("3 done", timeout=JOB_TIMEOUT_MS)
    except AssertionError:
        pytest.fail(f"the batch did not finish in time; page: {progress.inner_text()}\nworker log:\n"
                    f"{worker_log_tail(log)}")
    expect(progress).to_contain_text("Finished: 3 done, 1 failed.")
    assert page.evaluate("window.stillTheSamePage") is True  # htmx updated it in place
    screenshot("import-done")

    page.get_by_role("link", name="Collection report").click()
    expect(page.get_by_role("heading", name="Report: Regional budgets")).to_be_visible()
    expect(page.get_by_role("img").first).to_be_visible()
    screenshot("report")

    page.goto(f"/collections/{collection.code}/search/?q=Kazan")
    expect(page.locator("body")).to_contain_text("Kazan")
    expect(page.locator("body")).to_contain_text("Казани")  # the matching pair, aligned
    screenshot("search")
    expect(page.locator("#client-error")).to_be_hidden()
    assert proc.poll() is None, "the worker died"
