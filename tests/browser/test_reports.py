from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.test_workspace import log_in
from tests.reports.conftest import run_worker


def test_a_report_is_made_in_the_background_and_downloaded(page: Page, demo_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    log_in(page, demo_site.url)
    page.goto(f"{demo_site.url}/assessments/vietnam-2019/")
    page.get_by_role("link", name="Reports").click()
    page.get_by_label("Format").select_option("xlsx")
    page.get_by_label("Report language").select_option("vi")
    page.get_by_role("button", name="Make the report").click()
    row = page.locator("#report-jobs tbody tr").first
    expect(row).to_contain_text("Queued")
    expect(row.locator("progress")).to_be_visible()

    run_worker()  # the worker, as `manage.py db_worker` runs it

    link = page.get_by_role("link", name="vietnam-2019-draft-vi.xlsx")
    expect(link).to_be_visible(timeout=10_000)  # the page polls until the job is done
    expect(row).to_contain_text("Ready")
    with page.expect_download() as download:
        link.click()
    path = tmp_path / "annex.xlsx"
    download.value.save_as(path)
    assert load_workbook(path).sheetnames == ["Câu hỏi", "Bằng chứng", "Kết luận", "Hành động"]
