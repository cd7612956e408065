//! What each browser prints when it blocks a fetch, shared by the modules that
//! assert why the browser refused, and the per-engine test wrapper.

use cors_e2e::{Browser, Engine, FetchRequest, FetchResult, TestServer};

/// Makes the browser test `fn $name(engine: Engine)` two tests,
/// `$name::chromium` and `$name::firefox` (`cargo test -p cors-e2e firefox`
/// runs one engine's).
macro_rules! in_each_engine {
    ($name:ident) => {
        mod $name {
            #[test]
            fn chromium() {
                super::$name(cors_e2e::Engine::Chromium)
            }

            #[test]
            fn firefox() {
                super::$name(cors_e2e::Engine::Firefox)
            }
        }
    };
}
pub(crate) use in_each_engine;

/// Why the browser refused, as far as its console says.
///
/// Both engines name the cause, in their own words; they differ in how much:
/// Chromium says whether the preflight or the request failed and names a
/// refused method, Firefox names neither (it gives the status code instead),
/// but names the origin a mismatching `Access-Control-Allow-Origin` should
/// have carried (Chromium names both values).
#[derive(Clone, Copy, Debug)]
pub enum Refusal<'a> {
    /// A preflight answered without `Access-Control-Allow-Origin` (any 403
    /// refusal, and a 404).
    Preflight,
    /// An actual response without `Access-Control-Allow-Origin`.
    NoAllowOrigin,
    /// `Access-Control-Allow-Origin` names another origin.
    OtherOrigin,
    /// A preflight answer that grants the origin but not this method (as
    /// sent: `fetch` leaves `patch` lower-case).
    Method(&'a str),
    /// ... nor this request header (both engines print it lower-case).
    Header(&'a str),
    /// `credentials: 'include'` and an actual response without
    /// `Access-Control-Allow-Credentials: true`.
    Credentials,
    /// The same for a preflight answer.
    PreflightCredentials,
    /// `credentials: 'include'` and `Access-Control-Allow-Origin: *`.
    WildcardWithCredentials,
}

impl Refusal<'_> {
    /// The words `engine` prints for this refusal (part of the console line).
    pub fn words(self, engine: Engine) -> String {
        match engine {
            Engine::Chromium => match self {
                Refusal::Preflight => PREFLIGHT_REFUSED.to_owned(),
                Refusal::NoAllowOrigin => NO_ALLOW_ORIGIN.to_owned(),
                Refusal::OtherOrigin => "not equal to the supplied origin".to_owned(),
                Refusal::Method(method) => format!(
                    "Method {method} is not allowed by Access-Control-Allow-Methods in \
                     preflight response."
                ),
                Refusal::Header(name) => format!(
                    "Request header field {name} is not allowed by \
                     Access-Control-Allow-Headers in preflight response."
                ),
                Refusal::Credentials => CREDENTIALS_REFUSED.to_owned(),
                Refusal::PreflightCredentials => format!(
                    "Response to preflight request doesn't pass access control check: \
                     {CREDENTIALS_REFUSED}"
                ),
                Refusal::WildcardWithCredentials => "must not be the wildcard '*' when the \
                     request's credentials mode is 'include'"
                    .to_owned(),
            },
            // Firefox quotes names with ‘’ and says "(Reason: ...)".
            Engine::Firefox => match self {
                Refusal::Preflight | Refusal::NoAllowOrigin => {
                    "(Reason: CORS header ‘Access-Control-Allow-Origin’ missing)".to_owned()
                }
                Refusal::OtherOrigin => {
                    "(Reason: CORS header ‘Access-Control-Allow-Origin’ does not match".to_owned()
                }
                Refusal::Method(_) => {
                    "(Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’)"
                        .to_owned()
                }
                Refusal::Header(name) => format!(
                    "(Reason: header ‘{name}’ is not allowed according to header \
                     ‘Access-Control-Allow-Headers’ from CORS preflight response)"
                ),
                Refusal::Credentials | Refusal::PreflightCredentials => {
                    "(Reason: expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’)"
                        .to_owned()
                }
                Refusal::WildcardWithCredentials => {
                    "(Reason: Credential is not supported if the CORS header \
                     ‘Access-Control-Allow-Origin’ is ‘*’)"
                        .to_owned()
                }
            },
        }
    }
}

/// The console reason of a blocked fetch; panics when it was not blocked by
/// CORS.
#[track_caller]
pub fn blocked_because(result: &FetchResult) -> String {
    result.assert_blocked();
    result
        .cors_error()
        .unwrap_or_else(|| panic!("no CORS error on the console: {result}"))
        .to_owned()
}

/// The fetch was blocked, and the console says why in `refusal`'s words;
/// returns the console line.
#[track_caller]
pub fn assert_refused(result: &FetchResult, refusal: Refusal) -> String {
    let reason = blocked_because(result);
    let words = refusal.words(result.engine);
    assert!(
        reason.contains(&words),
        "{}: expected {refusal:?} ({words:?}), console says: {reason}",
        result.engine
    );
    reason
}

/// Chromium's words for a refused preflight (403 without CORS headers): from
/// an origin the policy refuses, or for any cause with
/// `diagnostic_preflights(false)`. Chromium reports the missing
/// `Access-Control-Allow-Origin` before the status.
const PREFLIGHT_REFUSED: &str = "Response to preflight request doesn't pass access control \
     check: No 'Access-Control-Allow-Origin' header is present on the requested resource.";

/// ... and for a refused actual request.
const NO_ALLOW_ORIGIN: &str = "No 'Access-Control-Allow-Origin' header is present";

/// Chromium's words for a `credentials: 'include'` answer without
/// `Access-Control-Allow-Credentials: true` (after "Response to preflight
/// request doesn't pass access control check: " for a preflight).
const CREDENTIALS_REFUSED: &str = "The value of the 'Access-Control-Allow-Credentials' header \
     in the response is '' which must be 'true' when the request's credentials mode is 'include'.";

/// Sends `request`, which needs a preflight, from `page_origin` until one is
/// sent without a preflight to `path` on `server` (the browser used its cached
/// answer): how many were sent by then, or `None` when none of `tries` was.
/// Every one must succeed.
#[track_caller]
pub fn sent_until_cached(
    browser: &Browser,
    page_origin: &str,
    request: &FetchRequest,
    server: &TestServer,
    path: &str,
    tries: usize,
) -> Option<usize> {
    for sent in 1..=tries {
        let before = server.preflights(path);
        browser.fetch(page_origin, request).assert_ok();
        if server.preflights(path) == before {
            return Some(sent);
        }
    }
    None
}

/// How many preflighted requests [`sent_until_cached`] should need when the
/// answer may be cached.
///
/// Chromium reuses a cached answer from the second request on. Firefox 153
/// preflights the first few preflighted requests of a page newly opened on a
/// site again, cached answer or not (three to five when checked by hand, with
/// or without pauses between them; its preflight cache lists the entries all
/// along), and reuses the answer from then on: the test allows it up to
/// [`FIREFOX_TRIES`] requests.
#[track_caller]
pub fn assert_cached(engine: Engine, sent: Option<usize>) {
    match engine {
        Engine::Chromium => assert_eq!(sent, Some(2), "Chromium: the second request is cached"),
        Engine::Firefox => assert!(
            matches!(sent, Some(n) if n >= 2),
            "Firefox: no request within {FIREFOX_TRIES} used the cached preflight: {sent:?}"
        ),
    }
}

/// How many requests a test sends before it concludes that Firefox does not
/// reuse a preflight answer.
pub const FIREFOX_TRIES: usize = 12;
