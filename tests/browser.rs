//! The web pages of `serve` in a real browser (issue #15): headless Chromium (Debian's chromium
//! and chromium-driver) over WebDriver, driven by Selenium in tests/browser.py. Type a query and
//! run it, fill a saved query's form, search and follow entity links, and the pages without
//! JavaScript; nothing may load from another site.

use crate::util::{Server, Workdir};

#[test]
fn the_pages_work_in_a_real_browser() {
    let wd = Workdir::new();
    wd.run(&["stats"]).ok();
    let server = Server::start(&wd, &wd.store());
    let base = server.url.trim_end_matches("/query");
    // MSS_KG_SCREENSHOT=docs/serve-query.png keeps the query page's picture for the README.
    let shot = std::env::var("MSS_KG_SCREENSHOT")
        .unwrap_or_else(|_| wd.path("query.png").to_str().unwrap().to_owned());
    let out = std::process::Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser.py"))
        .args([base, &shot])
        .output()
        .expect(
            "python3 runs (scripts/with-deps --test installs selenium, chromium, chromium-driver)",
        );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("all browser checks passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 10_000,
        "no screenshot"
    );
}
