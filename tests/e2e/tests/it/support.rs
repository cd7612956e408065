//! What Chromium prints when it blocks a fetch, shared by the modules that
//! assert why the browser refused.

use cors_e2e::FetchResult;

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

/// Chromium's words for a refused preflight (403 without CORS headers): from
/// an origin the policy refuses, or for any cause with
/// `diagnostic_preflights(false)`. Chromium reports the missing
/// `Access-Control-Allow-Origin` before the status.
pub const PREFLIGHT_REFUSED: &str = "Response to preflight request doesn't pass access control \
     check: No 'Access-Control-Allow-Origin' header is present on the requested resource.";

/// ... and for a refused actual request.
pub const NO_ALLOW_ORIGIN: &str = "No 'Access-Control-Allow-Origin' header is present";

/// Chromium's words for the engine's diagnostic answer (200, the origin
/// granted, the allowed methods listed) to a preflight asking for `method`
/// (as sent: `fetch` leaves `patch` lower-case).
pub fn method_refused(method: &str) -> String {
    format!("Method {method} is not allowed by Access-Control-Allow-Methods in preflight response.")
}

/// ... and to a preflight asking for header `name` (Chromium prints it
/// lower-case).
pub fn header_refused(name: &str) -> String {
    format!(
        "Request header field {name} is not allowed by Access-Control-Allow-Headers in \
         preflight response."
    )
}

/// Chromium's words for a `credentials: 'include'` answer without
/// `Access-Control-Allow-Credentials: true` (after "Response to preflight
/// request doesn't pass access control check: " for a preflight).
pub const CREDENTIALS_REFUSED: &str = "The value of the 'Access-Control-Allow-Credentials' header \
     in the response is '' which must be 'true' when the request's credentials mode is 'include'.";
