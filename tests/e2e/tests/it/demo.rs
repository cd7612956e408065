//! The demo (`cargo run -p cors-examples`) judged by headless Chromium and
//! Firefox: the
//! API and the page are started in-process the way `examples/src/bin/demo.rs`
//! starts them (API on 127.0.0.1, page on localhost, the same three page
//! origins allowed), the page runs every case, and each row of its table
//! must say what the browser really decided.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use actix_web::App;
use cors_e2e::{Browser, Engine, TestServer, LOCALHOST, LOOPBACK};
use cors_examples::{api, page};
use serde_json::Value;

use crate::support::{in_each_engine, Refusal};

/// The demo's two servers.
struct Demo {
    api: TestServer,
    page_port: u16,
    _page: TestServer,
}

impl Demo {
    /// `demo.rs` with `--api 127.0.0.1:<free> --page localhost:<free>`.
    fn start() -> Demo {
        let bind = || TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let (api_listener, page_listener) = (bind(), bind());
        let port = |l: &TcpListener| l.local_addr().expect("local address").port();
        let (api_port, page_port) = (port(&api_listener), port(&page_listener));

        // From here on as in demo.rs.
        let api_addr = format!("{LOOPBACK}:{api_port}");
        let page_addr = format!("{LOCALHOST}:{page_port}");
        let api_base = format!("http://{api_addr}");
        let api_host = LOOPBACK;
        let page_origins = vec![
            format!("http://{page_addr}"),
            format!("http://localhost:{page_port}"),
            format!("http://{api_host}:{page_port}"),
        ];
        let cors = api::api_cors(&page_origins).expect("the demo's policy is valid");

        let api = TestServer::start_on(api_listener, move || {
            App::new()
                .wrap(cors.clone())
                .configure(api::configure(cors.clone()))
        });
        let page = TestServer::start_on(page_listener, move || {
            let api_base = api_base.clone();
            App::new().configure(move |cfg| page::configure(cfg, api_base))
        });
        Demo {
            api,
            page_port,
            _page: page,
        }
    }

    /// The page as seen from `host` (`localhost`: another site than the
    /// API; `127.0.0.1`: the API's site, another origin).
    fn page_origin(&self, host: &str) -> String {
        format!("http://{host}:{}", self.page_port)
    }
}

/// One row of the page's table.
#[derive(Debug)]
struct Row {
    case: String,
    result: String,
    detail: String,
    /// What the page itself expects (its "expected" column).
    page_expects: String,
    /// The server's explanation of the same request (`/api/explain`).
    explained: String,
}

/// Open the page, wait until it has run every case, and read its table and
/// the console lines it caused.
fn run_page(browser: &Browser, origin: &str) -> (Vec<Row>, Vec<String>) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let done = browser.execute(origin, "return document.body.dataset.done || null;", vec![]);
        if done == Value::String("true".into()) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the demo page did not finish within 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let rows = browser.execute(
        origin,
        r##"return Array.from(document.querySelectorAll("#results tbody tr")).map((r) => ({
             case: r.dataset.case, result: r.dataset.result, detail: r.dataset.detail,
             expects: r.cells[2].textContent, explained: r.dataset.explained }));"##,
        vec![],
    );
    let text = |row: &Value, key: &str| {
        row.get(key)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("row without {key}: {row}"))
            .to_owned()
    };
    let rows = rows
        .as_array()
        .unwrap_or_else(|| panic!("not a list of rows: {rows}"))
        .iter()
        .map(|row| Row {
            case: text(row, "case"),
            result: text(row, "result"),
            detail: text(row, "detail"),
            page_expects: text(row, "expects"),
            explained: text(row, "explained"),
        })
        .collect();
    (rows, browser.console())
}

/// Every case the page runs: id, the browser's decision, what the page could
/// read. `cookie` is the credentials case's detail, which depends on whether
/// the page and the API are on the same site.
fn expected(engine: Engine, cookie: &str) -> [(&'static str, &'static str, String); 10] {
    let posts = r#"["foo","bar"]"#.to_owned();
    let failed = engine.failed_fetch();
    [
        ("simple-get", "allowed", posts.clone()),
        ("delete-preflight", "allowed", "status 204".into()),
        ("put-refused", "blocked", failed.into()),
        ("custom-header", "allowed", posts),
        ("forbidden-header", "blocked", failed.into()),
        ("exposed-header", "allowed", "X-Request-Id = req-42".into()),
        ("unexposed-header", "allowed", "X-Internal = null".into()),
        ("credentials-cookie", "allowed", cookie.into()),
        ("wildcard-credentials", "blocked", failed.into()),
        ("wildcard-public", "allowed", "X-Total = 2".into()),
    ]
}

/// The rows match `expected(cookie)` one for one, and agree with the page's
/// own expectations; the console explains the three refusals, and the
/// server's explanations (from `page`'s origin) agree with the browser.
fn check(engine: Engine, demo: &Demo, page: &str, rows: &[Row], console: &[String], cookie: &str) {
    let expected = expected(engine, cookie);
    let cases: Vec<&str> = rows.iter().map(|r| r.case.as_str()).collect();
    let wanted: Vec<&str> = expected.iter().map(|(case, _, _)| *case).collect();
    assert_eq!(cases, wanted, "the page ran other cases: {rows:#?}");
    for (row, (case, result, detail)) in rows.iter().zip(&expected) {
        assert_eq!(
            (row.result.as_str(), row.detail.as_str()),
            (*result, detail.as_str()),
            "case {case}: {row:?}"
        );
        assert_eq!(
            row.page_expects, *result,
            "the page expects otherwise: {row:?}"
        );
    }

    // The console explains the three refusals, in order: PUT and
    // X-Forbidden-Header (the preflight answers grant the origin and list
    // what is allowed, so the browser names the cause), then the route's own
    // `*` policy with credentials.
    let marker = engine.cors_console_marker();
    let refusals: Vec<&String> = console
        .iter()
        .filter(|l| l.contains(marker))
        // Firefox follows a failed preflight's line with one for the request
        // it never sent.
        .filter(|l| !l.contains("(Reason: CORS request did not succeed)"))
        .collect();
    assert_eq!(refusals.len(), 3, "{console:#?}");
    let url = |path: &str| demo.api.url(LOOPBACK, path);
    let expected_refusals = [
        (url("/api/posts"), Refusal::Method("PUT")),
        (url("/api/posts"), Refusal::Header("x-forbidden-header")),
        (url("/api/public"), Refusal::WildcardWithCredentials),
    ];
    for (line, (url, refusal)) in refusals.iter().zip(expected_refusals) {
        let words = refusal.words(engine);
        assert!(
            line.contains(&url) && line.contains(&words),
            "{engine}: expected {url} and {words:?} in {line}"
        );
    }

    // The server's explanation of each row agrees with the browser, and
    // names the rule or the cause.
    let explained = |case: &str| {
        &rows
            .iter()
            .find(|r| r.case == case)
            .unwrap_or_else(|| panic!("no row {case}"))
            .explained
    };
    let expectations: [(&str, &[String]); 6] = [
        (
            "simple-get",
            &[format!(
                "GET from {page}: allowed. origin {page}: allowed by an exact allowed origin."
            )],
        ),
        (
            "delete-preflight",
            &[
                format!("preflight from {page} for DELETE: allowed."),
                "method DELETE: listed (GET, POST, DELETE).".into(),
                format!("DELETE from {page}: allowed."),
            ],
        ),
        (
            "put-refused",
            &[
                format!("preflight from {page} for PUT: refused."),
                "method PUT: not allowed (allowed: GET, POST, DELETE).".into(),
                "Answered 200".into(),
                "its console says the method is not allowed".into(),
            ],
        ),
        (
            "forbidden-header",
            &[
                format!("preflight from {page} for GET with x-forbidden-header: refused."),
                "x-forbidden-header is not allowed (allowed: content-type, x-custom-header)."
                    .into(),
                "its console names the header".into(),
            ],
        ),
        (
            "wildcard-credentials",
            &[
                format!(
                    "GET from {page}: allowed. origin {page}: the policy allows any origin (*)."
                ),
                "browsers refuse the literal * for those".into(),
            ],
        ),
        (
            "credentials-cookie",
            &["access-control-allow-credentials: true".into()],
        ),
    ];
    for (case, phrases) in expectations {
        let text = explained(case);
        for phrase in phrases {
            assert!(
                text.contains(phrase.as_str()),
                "{case}: {phrase:?} not in {text:?}"
            );
        }
    }
    for row in rows {
        let allowed_by_policy = row
            .explained
            .lines()
            .all(|line| line.contains(": allowed."));
        // The credentials case against `*` is the one the browser refuses
        // although the policy grants: the explanation says so (above).
        if row.case != "wildcard-credentials" {
            assert_eq!(
                allowed_by_policy,
                row.result == "allowed",
                "the explanation disagrees with the browser: {row:?}"
            );
        }
    }

    // What reached the API: the refused PUT and the refused header never did.
    let log = demo.api.log();
    assert_eq!(log.count("PUT", "/api/posts"), 0);
    assert_eq!(log.count("DELETE", "/api/posts"), 1);
    let gets = log.matching("GET", "/api/posts");
    assert_eq!(gets.len(), 2, "{gets:?}");
    assert!(gets
        .iter()
        .all(|s| s.header("x-forbidden-header").is_none()));
    assert_eq!(
        log.count("GET", "/api/public"),
        2,
        "both simple GETs were sent"
    );
}

in_each_engine!(demo_page_on_another_site_sees_every_decision);
fn demo_page_on_another_site_sees_every_decision(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let demo = Demo::start();
    let page = demo.page_origin(LOCALHOST);
    let (rows, console) = run_page(&browser, &page);
    // localhost and 127.0.0.1 are different sites: the credentialed request
    // is allowed either way; what happens to the session cookie that
    // /api/login sets in that third-party context is the browser's choice.
    let (detail, cookie) = match engine {
        // Chromium blocks third-party cookies.
        Engine::Chromium => ("status 401: no session cookie", None),
        // Firefox keeps them, partitioned by the top-level site (localhost
        // here): /api/me from the same page gets it back.
        Engine::Firefox => ("status 200: hello demo-user", Some("session=demo-user")),
    };
    check(engine, &demo, &page, &rows, &console, detail);
    let me = &demo.api.log().matching("GET", "/api/me")[0];
    assert_eq!(me.header("cookie"), cookie);
}

in_each_engine!(demo_page_on_the_api_site_sees_every_decision_and_the_cookie);
fn demo_page_on_the_api_site_sees_every_decision_and_the_cookie(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let demo = Demo::start();
    let page = demo.page_origin(LOOPBACK);
    let (rows, console) = run_page(&browser, &page);
    // 127.0.0.1 on two ports: same site, so the session cookie flows.
    check(
        engine,
        &demo,
        &page,
        &rows,
        &console,
        "status 200: hello demo-user",
    );
    let me = &demo.api.log().matching("GET", "/api/me")[0];
    assert_eq!(me.header("cookie"), Some("session=demo-user"));
}
