"""The web pages of `mss-kg serve` in a real browser: Debian's headless Chromium, driven over
WebDriver (chromedriver) with Selenium. Run by tests/browser.rs against a live server:

    python3 tests/browser.py BASE_URL [SCREENSHOT.png]

Prints one line per check and exits non-zero at the first that fails.
"""
import sys
import urllib.parse

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

base = sys.argv[1].rstrip("/")
screenshot = sys.argv[2] if len(sys.argv) > 2 else None


def browser(javascript=True):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--disable-gpu", "--no-first-run", "--disable-background-networking"]:
        options.add_argument(arg)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + (f": {detail}" if detail and not ok else ""))
    if not ok:
        sys.exit(1)


def wait(driver, condition, seconds=30):
    return WebDriverWait(driver, seconds).until(condition)


def gone(old):
    """Whether an element left the page. (Chromium sometimes answers a stale element with an
    inspector error instead of WebDriver's stale-element error: both mean it is gone.)"""
    def check(_):
        try:
            old.is_enabled()
            return False
        except WebDriverException:
            return True
    return check


def submit(driver, element, click=True):
    """Submits a form (by a click on its button, or on a field) and waits for the next page."""
    old = driver.find_element(By.TAG_NAME, "html")
    if click:
        element.click()
    else:
        element.submit()
    wait(driver, gone(old))
    wait(driver, lambda d: d.execute_script("return document.readyState") == "complete")


QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <http://schema.org/>
SELECT ?person ?name WHERE {
  ?person a schema:Person ; rdfs:label ?name .
  FILTER(CONTAINS(?name, "Otunge"))
}"""

driver = browser()
try:
    # The query page: type a query into YASGUI, run it, see the rows.
    driver.get(base + "/")
    wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, ".CodeMirror")))
    check("the query editor loads", True)
    editor = driver.find_element(By.CSS_SELECTOR, ".CodeMirror textarea")
    driver.execute_script("window.mssKgYasgui.getTab().getYasqe().setValue('');")
    editor.send_keys(QUERY)
    typed = driver.execute_script("return window.mssKgYasgui.getTab().getYasqe().getValue();")
    check("the query is typed into the editor", "Otunge" in typed, typed)
    driver.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    cells = wait(driver, lambda d: [c.text for c in d.find_elements(By.CSS_SELECTOR, ".yasr table tbody td")]
                 if d.find_elements(By.CSS_SELECTOR, ".yasr table tbody td") else False)
    check("the results show Otunge", any("Godfrey Otunge" in c for c in cells), cells)
    check("IRIs are shortened to prefixed names", any("mssr:godfrey-otunge" in c for c in cells), cells)
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, ".yasr table tbody a")]
    check("entities link to their page here", any("/entity?iri=" in (h or "") for h in links), links)
    if screenshot:
        driver.save_screenshot(screenshot)
    requests = driver.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; });")
    outside = [r for r in requests if not r.startswith(base) and not r.startswith("data:")]
    check("nothing is loaded from another site", not outside, outside)

    # A saved query's form: choose a value, run it, see its table.
    driver.get(base + "/queries/contributing-nations")
    Select(driver.find_element(By.NAME, "status")).select_by_value("deployed")
    submit(driver, driver.find_element(By.CSS_SELECTOR, "form.params button[type=submit]"))
    wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, "table.results tbody tr")))
    rows = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "table.results tbody tr")]
    check("the saved query's form runs it", any("Kenya" in r for r in rows) and all("deployed" in r for r in rows), rows)
    csv = driver.find_element(By.LINK_TEXT, "CSV").get_attribute("href")
    check("the table links to the same result as CSV", "/api/contributing-nations.csv?status=deployed" in csv, csv)

    # Search, an entity page, and a link to another entity.
    driver.get(base + "/")
    box = driver.find_element(By.NAME, "q")
    box.send_keys("otunge")
    submit(driver, box, click=False)
    wait(driver, ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Godfrey Otunge"))
    check("search finds the entity page", True)
    page = driver.find_element(By.TAG_NAME, "main").text
    check("the entity page shows sources", "src:001_147c23658d6feea2" in page, page[:500])
    submit(driver, driver.find_element(By.LINK_TEXT, "Kenya"))
    wait(driver, ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Kenya"))
    check("a link leads to another entity's page", "/entity?iri=" in driver.current_url, driver.current_url)
finally:
    driver.quit()

# Without JavaScript: the timeline, filtered by a source, and a saved query's form.
driver = browser(javascript=False)
try:
    driver.get(base + "/timeline")
    rows = driver.find_elements(By.CSS_SELECTOR, "table.timeline tbody tr")
    dates = [r.find_element(By.CSS_SELECTOR, "td.date").text for r in rows]
    check("the timeline lists dated facts without JavaScript", len(rows) > 10, len(rows))
    check("a month is shown as a month", any("(month)" in d for d in dates), dates)
    Select(driver.find_element(By.NAME, "source")).select_by_value("004")
    submit(driver, driver.find_element(By.CSS_SELECTOR, "form.filters button"))
    rows = driver.find_elements(By.CSS_SELECTOR, "table.timeline tbody tr")
    sources = [r.find_element(By.CSS_SELECTOR, "td.sources").text for r in rows]
    check("the timeline filters by source", rows and all("004" in s for s in sources), sources)
    driver.get(base + "/queries/person-actions")
    submit(driver, driver.find_element(By.CSS_SELECTOR, "form.params button[type=submit]"))
    rows = driver.find_elements(By.CSS_SELECTOR, "table.results tbody tr")
    check("a saved query's form works without JavaScript", len(rows) >= 3, len(rows))
    query = urllib.parse.quote("SELECT ?n WHERE { mssr:kenya rdfs:label ?n }")
    driver.get(f"{base}/sparql?query={query}")
    check("a query URL opened in a browser shows a table", "Kenya" in driver.find_element(By.TAG_NAME, "main").text)
finally:
    driver.quit()
print("all browser checks passed")
