//! The web UI in headless Chromium, driven over WebDriver (chromedriver +
//! fantoccini) against the real server and a store built from examples/.
//! Checks the story list, the claim matrix, the figure charts and the
//! timeline against the API's report, keyboard access, the phone layout,
//! layout shift, and the browser console; screenshots go to
//! `target/tmp/browser/`. Skipped with a message when chromedriver is absent
//! (`.ci/run` installs Debian's chromium and chromium-driver).

use crate::server::{get, start};
use fantoccini::{ClientBuilder, Locator};
use serde_json::{json, Value};
use std::path::PathBuf;

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| PathBuf::from(d).join(name))
        .find(|p| p.is_file())
}

/// `POST /session/{id}/se/log`: chromedriver's browser console log.
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "type": "browser" }).to_string()),
        )
    }
}

/// Nothing went wrong in the browser console on any page of the session.
async fn assert_no_console_errors(c: &fantoccini::Client) {
    let log = c.issue_cmd(BrowserLog).await.unwrap();
    let severe: Vec<&Value> = log
        .as_array()
        .map(|a| a.iter().filter(|e| e["level"] == "SEVERE").collect())
        .unwrap_or_default();
    assert!(severe.is_empty(), "console errors: {severe:?}");
}

async fn js(c: &fantoccini::Client, script: &str) -> Value {
    c.execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// chromedriver on a free port and a headless Chromium session (1280×1000)
/// with a fresh profile; the guards keep them alive.
async fn session(
    driver: PathBuf,
    chromium: PathBuf,
) -> (
    crate::common::KillOnDrop,
    fantoccini::Client,
    tempfile::TempDir,
) {
    let dport = crate::common::free_port();
    let driver_guard = crate::common::KillOnDrop(
        std::process::Command::new(driver)
            .arg(format!("--port={dport}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    tokio::task::spawn_blocking(move || crate::common::wait_for_port(dport, 20, "chromedriver"))
        .await
        .unwrap();
    let profile = tempfile::tempdir().unwrap();
    let caps = json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                     format!("--user-data-dir={}", profile.path().display())]
        },
        "goog:loggingPrefs": { "browser": "ALL" }
    });
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps.as_object().unwrap().clone())
        .connect(&format!("http://127.0.0.1:{dport}"))
        .await
        .expect("a WebDriver session");
    (driver_guard, c, profile)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_ui_in_headless_chromium() {
    let (Some(driver), Some(chromium)) = (which("chromedriver"), which("chromium")) else {
        eprintln!("skipped: chromium and chromedriver are not installed (.ci/run installs Debian's chromium and chromium-driver)");
        return;
    };
    let srv = tokio::task::spawn_blocking(start).await.unwrap();
    let base = format!("http://127.0.0.1:{}", srv.port);
    let report_of = |path: &str| get(srv.port, path).json();
    let fire_id = crate::server::fire_story(srv.port);
    let report = report_of(&format!("/api/stories/{fire_id}"));

    let (_driver, c, _profile) = session(driver, chromium).await;
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&shots).unwrap();
    let shot = |name: &'static str| {
        let c = c.clone();
        let path = shots.join(name);
        async move { std::fs::write(&path, c.screenshot().await.unwrap()).unwrap() }
    };

    // The story list.
    c.goto(&format!("{base}/")).await.unwrap();
    let items = c
        .find_all(Locator::Css("ul.stories li.story"))
        .await
        .unwrap();
    assert_eq!(items.len(), 2);
    shot("stories.png").await;

    // Keyboard: "/" focuses the search box; Tab reaches the skip link first.
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("/")
        .await
        .unwrap();
    assert_eq!(js(&c, "return document.activeElement.id").await, "q");

    // Open the fire story from the list.
    c.find(Locator::LinkText(report["title"].as_str().unwrap()))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(c.current_url().await.unwrap().path().ends_with(&fire_id));

    // The claim matrix: one row per claim, one column per original outlet,
    // and each cell says what the report says.
    let columns: Vec<String> = serde_json::from_value(js(&c, "return [...document.querySelectorAll('table.matrix th.outlet')].map(e => e.textContent)").await).unwrap();
    let mut expected_cols: Vec<String> = Vec::new();
    for a in report["articles"].as_array().unwrap() {
        let original = a["copy_of"].is_null() || a["copy_of"]["article"].is_null();
        let o = a["outlet"].as_str().unwrap().to_string();
        if original && !expected_cols.contains(&o) {
            expected_cols.push(o);
        }
    }
    // Every original outlet once, those carrying the most claims first.
    let mut sorted = columns.clone();
    sorted.sort();
    expected_cols.sort();
    assert_eq!(sorted, expected_cols);
    let cells: Vec<Vec<bool>> = serde_json::from_value(
        js(&c, "return [...document.querySelectorAll('table.matrix tbody tr')].map(r => [...r.querySelectorAll('td.cell')].map(td => td.classList.contains('yes')))").await,
    )
    .unwrap();
    let claims = report["claims"].as_array().unwrap();
    assert_eq!(cells.len(), claims.len());
    let outlet_of = |id: &Value| {
        report["articles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == *id)
            .unwrap()["outlet"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let carried: Vec<usize> = (0..columns.len())
        .map(|i| cells.iter().filter(|row| row[i]).count())
        .collect();
    assert!(
        carried.windows(2).all(|w| w[0] >= w[1]),
        "{columns:?} {carried:?}"
    );
    for (row, claim) in cells.iter().zip(claims) {
        for (cell, col) in row.iter().zip(&columns) {
            let carries = claim["carriers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| outlet_of(&x["article"]) == *col);
            assert_eq!(*cell, carries, "claim {} × {col}", claim["id"]);
        }
    }

    // Each cell shows its outlet's stance: as many "disputes" cells as
    // (claim, outlet) pairs with a disputing carrier in the report.
    let disputing: std::collections::HashSet<(String, String)> = claims
        .iter()
        .flat_map(|c| {
            c["carriers"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|x| x["stance"] == "disputes")
                .map(|x| {
                    (
                        c["id"].as_str().unwrap().to_string(),
                        outlet_of(&x["article"]),
                    )
                })
                .collect::<Vec<_>>()
        })
        .filter(|(_, o)| columns.contains(o))
        .collect();
    assert!(!disputing.is_empty(), "the fixture has a denial");
    assert_eq!(
        js(&c, "return document.querySelectorAll('table.matrix td.cell.disputes a[aria-label$=\": disputes\"]').length").await,
        disputing.len()
    );

    // Figure charts: one per group, a dot per value from an original article.
    let figures = report["figures"].as_array().unwrap();
    assert_eq!(
        js(&c, "return document.querySelectorAll('figure.fig').length").await,
        figures.len()
    );
    let dots: Vec<u64> = serde_json::from_value(js(&c, "return [...document.querySelectorAll('figure.fig svg')].map(s => s.querySelectorAll('circle.dot').length)").await).unwrap();
    let copies: Vec<&Value> = report["articles"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| !a["copy_of"]["article"].is_null())
        .map(|a| &a["id"])
        .collect();
    for (g, n) in figures.iter().zip(&dots) {
        let originals = g["values"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| !copies.contains(&&v["article"]))
            .count();
        assert_eq!(
            *n as usize,
            originals.max(usize::from(originals == 0) * g["values"].as_array().unwrap().len()),
            "{}",
            g["what"]
        );
    }
    assert_eq!(
        js(
            &c,
            "return document.querySelectorAll('figure.fig.disagree').length > 0"
        )
        .await,
        true
    );

    // Timeline: every dated event, in order.
    let dates: Vec<String> = serde_json::from_value(js(&c, "return [...document.querySelectorAll('ol.timeline time')].map(t => t.getAttribute('datetime'))").await).unwrap();
    let want: Vec<String> = report["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["date"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(dates, want);

    // No layout shift.
    let cls = c
        .execute_async(
            "const done = arguments[arguments.length - 1]; let cls = 0; const moved = [];
             new PerformanceObserver(l => { for (const e of l.getEntries()) if (!e.hadRecentInput) {
                 cls += e.value;
                 for (const s of e.sources || []) moved.push(s.node ? s.node.nodeName + '.' + (s.node.className || '') + ' ' + e.startTime.toFixed(0) + 'ms' : '?');
               } })
               .observe({ type: 'layout-shift', buffered: true });
             setTimeout(() => done({ cls, moved }), 400);",
            vec![],
        )
        .await
        .unwrap();
    // What moved is named, to find it when this fails.
    assert!(
        cls["cls"].as_f64().unwrap() < 0.01,
        "cumulative layout shift {cls}"
    );
    shot("story.png").await;

    // A phone: no sideways scrolling of the page (the matrix scrolls in its own box).
    c.set_window_size(390, 844).await.unwrap();
    assert_eq!(
        js(
            &c,
            "return document.documentElement.scrollWidth <= window.innerWidth + 1"
        )
        .await,
        true
    );
    shot("story-phone.png").await;
    c.set_window_size(1280, 1000).await.unwrap();

    // From a claim to its sentence in the article, highlighted.
    c.find(Locator::Css("table.matrix tbody tr th.claim a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let hash = c
        .current_url()
        .await
        .unwrap()
        .fragment()
        .unwrap_or_default()
        .to_string();
    assert!(hash.starts_with("s-"));
    assert_eq!(
        js(&c, &format!("return !!document.getElementById('{hash}')")).await,
        true
    );
    for kind in ["quote", "figure", "date"] {
        let n = js(
            &c,
            &format!("return document.querySelectorAll('article.body mark.{kind}').length"),
        )
        .await;
        assert!(n.as_u64().unwrap() > 0, "no {kind} highlighted");
    }
    shot("article.png").await;

    // Nothing went wrong in the console on any page.
    assert_no_console_errors(&c).await;
    c.close().await.unwrap();
}

/// A fictional story carried by 30 outlets (written here): each outlet
/// repeats the core claims and adds one of its own.
fn thirty_outlets(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("thirty.jsonl");
    // Each outlet words the shared facts its own way and adds its own
    // paragraph, so no article is a copy of another.
    const LEADS: [&str; 5] = [
        "Flooding closed the Lowmere ferry landing on Sunday after the river rose four metres overnight, officials said.",
        "The Lowmere ferry landing was shut on Sunday when the river climbed four metres in one night, according to officials.",
        "Officials closed the ferry landing at Lowmere on Sunday as floodwater rose by four metres overnight.",
        "A four-metre overnight rise of the river forced officials to close Lowmere's ferry landing on Sunday.",
        "Lowmere lost its ferry landing to the floods on Sunday, officials said, after the river rose four metres.",
    ];
    const QUOTES: [&str; 3] = [
        "\"We have never seen the water this high,\" said harbour master Ines Varga.",
        "Harbour master Ines Varga said: \"We have never seen the water this high.\"",
        "\"We have never seen the water this high,\" harbour master Ines Varga told reporters on the quay.",
    ];
    const WORDS: [&str; 24] = [
        "bakery", "school", "chapel", "market", "bridge", "orchard", "library", "station", "mill",
        "harbour", "garage", "clinic", "boats", "cellars", "tractors", "sheep", "roads", "pumps",
        "gardens", "shops", "fences", "barns", "lanes", "docks",
    ];
    let lines: String = (1..=30usize)
        .map(|i| {
            // The outlet's own paragraph: sixty words in an order of its own.
            let mut state = i as u64 * 2_654_435_761;
            let own: Vec<&str> = (0..60)
                .map(|_| {
                    state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    WORDS[(state >> 33) as usize % WORDS.len()]
                })
                .collect();
            let text = format!(
                "{} {} About 1,200 residents were evacuated from the lower town, the regional council said.\n\n\
                 Our reporter number {i} saw {} volunteers at work: {}.",
                LEADS[i % LEADS.len()],
                QUOTES[i % QUOTES.len()],
                10 * i,
                own.join(" ")
            );
            serde_json::json!({
                "title": format!("Floods close Lowmere ferry landing, report {i}"),
                "outlet": format!("Regional Outlet Number {i:02}"),
                "published": format!("2025-05-{:02}T{:02}:00:00Z", 4 + i % 3, i % 24),
                "text": text,
            })
            .to_string()
                + "\n"
        })
        .collect();
    std::fs::write(&path, lines).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_story_with_thirty_outlets_on_a_laptop_and_a_phone() {
    let (Some(driver), Some(chromium)) = (which("chromedriver"), which("chromium")) else {
        eprintln!("skipped: chromium and chromedriver are not installed (.ci/run installs Debian's chromium and chromium-driver)");
        return;
    };
    let srv = tokio::task::spawn_blocking(|| {
        let srv = start();
        let feed = thirty_outlets(srv.dir.path());
        let o = crate::common::run(srv.dir.path(), &["ingest", "-q", feed.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", crate::common::stderr(&o));
        srv
    })
    .await
    .unwrap();
    let port = srv.port;
    // Wait until the server's background analysis has placed them.
    let id = tokio::task::spawn_blocking(move || {
        let t = std::time::Instant::now();
        loop {
            let list = get(port, "/api/stories?q=Lowmere").json();
            if let Some(s) = list["stories"].as_array().and_then(|a| a.first()) {
                if s["articles"] == 30 {
                    return s["id"].as_str().unwrap().to_string();
                }
            }
            assert!(
                t.elapsed().as_secs() < 30,
                "the 30 articles were never one story: {list}"
            );
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    })
    .await
    .unwrap();
    let (_driver, c, _profile) = session(driver, chromium).await;
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&shots).unwrap();
    c.goto(&format!("http://127.0.0.1:{port}/stories/{id}"))
        .await
        .unwrap();
    for (w, h, name) in [
        (1280, 1000, "story-30-outlets.png"),
        (390, 844, "story-30-outlets-phone.png"),
    ] {
        c.set_window_size(w, h).await.unwrap();
        // Folded: the outlets that carry the most claims, and one column
        // counting the others.
        let shown = "return [...document.querySelectorAll('table.matrix th.outlet, table.matrix th.others')].filter(e => e.offsetWidth > 0).map(e => e.textContent)";
        let folded: Vec<String> = serde_json::from_value(js(&c, shown).await).unwrap();
        assert_eq!(folded.len(), 7, "{w}px: {folded:?}");
        assert_eq!(folded[6], "Other 24 outlets", "{w}px");
        std::fs::write(
            shots.join(format!("folded-{name}")),
            c.screenshot().await.unwrap(),
        )
        .unwrap();
        // Unfolded from the keyboard: every outlet has its column, named.
        let toggle = c
            .find(fantoccini::Locator::Css("#all-outlets"))
            .await
            .unwrap();
        toggle.send_keys(" ").await.unwrap();
        let names: Vec<String> = serde_json::from_value(js(&c, shown).await).unwrap();
        assert_eq!(names.len(), 30, "{w}px: {names:?}");
        assert!(
            names
                .iter()
                .all(|n| n.starts_with("Regional Outlet Number")),
            "{names:?}"
        );
        // The page itself never scrolls sideways; the matrix scrolls in its box.
        assert_eq!(
            js(
                &c,
                "return document.documentElement.scrollWidth <= window.innerWidth + 1"
            )
            .await,
            true,
            "{w}px"
        );
        // Scrolled to the last outlet, the claim column is still in view.
        let visible = js(
            &c,
            "const box = document.querySelector('.scroll'); box.scrollLeft = box.scrollWidth;
             const claim = document.querySelector('table.matrix tbody th.claim').getBoundingClientRect();
             const b = box.getBoundingClientRect();
             const last = [...document.querySelectorAll('table.matrix th.outlet')].pop().getBoundingClientRect();
             return claim.left >= b.left - 1 && claim.right > b.left + 20 && last.right <= b.right + 1;",
        )
        .await;
        assert_eq!(
            visible, true,
            "{w}px: claim column or last outlet out of view"
        );
        std::fs::write(shots.join(name), c.screenshot().await.unwrap()).unwrap();
        js(
            &c,
            "document.querySelector('.scroll').scrollLeft = 0; document.querySelector('#all-outlets').checked = false; return 0",
        )
        .await;
    }
    assert_no_console_errors(&c).await;
    c.close().await.unwrap();
}
