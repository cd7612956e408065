//! The browser test harness: headless Chromium and headless Firefox ESR
//! (each driven over WebDriver with fantoccini) run `fetch()` from a page on
//! one origin against actix-web servers on others, and the tests assert what
//! the page was allowed to see and what reached the servers.
//!
//! ```no_run
//! use actix_web::{web, App, HttpResponse};
//! use cors_e2e::{Browser, Engine, FetchRequest, PageServer, TestServer, API, APP};
//!
//! let Some(browser) = Browser::launch(Engine::Firefox) else { return }; // skipped locally
//! let page = PageServer::start(APP); // http://app.test:<port>/
//! let origin = page.origin();
//! let api = TestServer::start(move || {
//!     let origin = origin.clone();
//!     App::new().route("/data", web::get().to(move || {
//!         let origin = origin.clone();
//!         async move {
//!             HttpResponse::Ok()
//!                 .insert_header(("Access-Control-Allow-Origin", origin))
//!                 .body("hello")
//!         }
//!     }))
//! });
//! let result = browser.fetch(&page.origin(), &FetchRequest::new(api.url(API, "/data")));
//! result.assert_ok();
//! assert_eq!(result.body, "hello");
//! assert_eq!(api.count("GET", "/data"), 1);
//! ```
//!
//! # Host names
//!
//! Chromium is launched with `--host-resolver-rules="MAP *.test 127.0.0.1"`,
//! and Firefox's profile resolves every name to 127.0.0.1
//! (`network.dns.forceResolve`, see [`FIREFOX_PREFS`]), so every `*.test`
//! name reaches the loopback servers on the port in the URL (the servers see
//! e.g. `Host: api.test:<port>` and `Origin: http://app.test:<port>`). The
//! constants below name the roles. Checked in Chromium with cookies
//! (third-party cookies are blocked); in Firefox the harness tests check the
//! [`LOOPBACK`] and [`LOCALHOST`] rows for a cookie set in a first-party
//! visit (Firefox keeps a cookie set in a third-party context in a jar of
//! the top-level site, and sends it back from that site only):
//!
//! | page | server | relation |
//! | --- | --- | --- |
//! | [`APP`] | [`API`] (or [`EVIL`]) | cross-site: no cookie |
//! | [`APP_SUB`] | [`APP`] (and back) | same-site, cross-origin: cookie sent |
//! | `app.test:P` | `app.test:Q` | same-site, cross-origin: cookie sent |
//! | [`LOOPBACK`] `:P` | [`LOOPBACK`] `:Q` | same-site, cross-origin: cookie sent |
//! | [`LOCALHOST`] | [`LOOPBACK`] | cross-site: no cookie |
//!
//! `*.test` pages are not secure contexts (`window.isSecureContext` is
//! false); `127.0.0.1` and `localhost` pages are. Servers bind 127.0.0.1 only;
//! `localhost` still reaches them.
//!
//! # Browsers
//!
//! One browser per [`Engine`] per test binary, shared: [`Browser::launch`]
//! hands it to one test at a time (the others of that engine wait), reset to
//! a blank page with no cookies and empty HTTP and preflight caches. Write
//! browser tests as plain `#[test]` functions: every method blocks (they also
//! work inside an async test). Every WebDriver command has a
//! [`COMMAND_TIMEOUT`]; a browser that times out or errs is replaced for the
//! next test. The drivers and browsers are killed by a watchdog when the test
//! binary exits, however it exits.

mod browser;
mod fetch;
mod server;

pub use browser::{
    default_geckodriver, missing_browser_verdict, running_in_ci, Browser, BrowserPaths, Engine,
    PrefValue, CHROMEDRIVER_ENV, CHROMIUM_ENV, CHROMIUM_FLAGS, COMMAND_TIMEOUT,
    DEFAULT_CHROMEDRIVER, DEFAULT_CHROMIUM, DEFAULT_FIREFOX, FAILED_TO_FETCH, FIREFOX_ENV,
    FIREFOX_PREFS, GECKODRIVER_ENV, HOST_RESOLVER_RULES, NETWORK_ERROR,
};
pub use fetch::{CacheMode, Credentials, FetchRequest, FetchResult, Mode};
pub use server::{PageServer, RequestLog, Seen, TestServer, EMPTY_PAGE};

/// The API under test (cross-site to [`APP`]).
pub const API: &str = "api.test";
/// The page's site.
pub const APP: &str = "app.test";
/// A subdomain of [`APP`]: another origin on the same site.
pub const APP_SUB: &str = "a.app.test";
/// An origin the API should refuse.
pub const EVIL: &str = "evil.test";
/// The loopback address itself.
pub const LOOPBACK: &str = "127.0.0.1";
/// `localhost`: a different site from [`LOOPBACK`].
pub const LOCALHOST: &str = "localhost";
