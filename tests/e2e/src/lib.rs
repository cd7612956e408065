//! The browser test harness: headless Chromium (driven over WebDriver with
//! fantoccini) runs `fetch()` from a page on one origin against actix-web
//! servers on others, and the tests assert what the page was allowed to see
//! and what reached the servers.
//!
//! ```no_run
//! use actix_web::{web, App, HttpResponse};
//! use cors_e2e::{Browser, FetchRequest, PageServer, TestServer, API, APP};
//!
//! let Some(browser) = Browser::launch() else { return }; // skipped locally
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
//! so every `*.test` name reaches the loopback servers on the port in the URL.
//! The constants below name the roles; [`API`] and [`APP`] are different
//! sites, [`APP_SUB`] is same-site with [`APP`], [`EVIL`] is a third site.
//! `127.0.0.1` ([`LOOPBACK`]) and `localhost` ([`LOCALHOST`]) work as well, and
//! unlike `*.test` they are secure contexts. Cookies are scoped by host, not
//! port: a page on `127.0.0.1:P` calling `127.0.0.1:Q` is cross-origin but
//! same-site, the pair to use when cookies must flow (third-party cookies are
//! blocked).
//!
//! # Browser
//!
//! One Chromium per test binary, shared: [`Browser::launch`] hands it to one
//! test at a time (the others wait), reset to a blank page with no cookies.
//! Every WebDriver command has a [`COMMAND_TIMEOUT`]; a browser that times out
//! or errs is replaced for the next test. chromedriver and Chromium are killed
//! by a watchdog when the test binary exits, however it exits.

mod browser;
mod fetch;
mod server;

pub use browser::{
    missing_browser_verdict, running_in_ci, Browser, BrowserPaths, CHROMEDRIVER_ENV, CHROMIUM_ENV,
    CHROMIUM_FLAGS, COMMAND_TIMEOUT, DEFAULT_CHROMEDRIVER, DEFAULT_CHROMIUM, HOST_RESOLVER_RULES,
};
pub use fetch::{CacheMode, Credentials, FetchRequest, FetchResult, Mode, FAILED_TO_FETCH};
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
