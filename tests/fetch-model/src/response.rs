//! The response side: the CORS check, the checks on a CORS-preflight
//! response, and which response headers page script can read.
//!
//! Response headers are given as a list of (name, value) pairs in which a name
//! may repeat, as on the wire. Names are matched case-insensitively; values are
//! trimmed of leading and trailing HTTP whitespace, as an HTTP parser does.
//! Where Fetch "gets" a header, repeated values are combined with `", "`, so a
//! repeated `Access-Control-Allow-Origin` never matches an origin.

use std::fmt;

use crate::request::{
    cors_unsafe_request_header_names, is_cors_non_wildcard_request_header_name,
    is_cors_safelisted_method, normalize_method, request_header_list, BrowserRequest,
};
use crate::syntax::{parse_token_list, trim_http_whitespace};

const ALLOW_ORIGIN: &str = "access-control-allow-origin";
const ALLOW_CREDENTIALS: &str = "access-control-allow-credentials";
const ALLOW_METHODS: &str = "access-control-allow-methods";
const ALLOW_HEADERS: &str = "access-control-allow-headers";
const EXPOSE_HEADERS: &str = "access-control-expose-headers";
const MAX_AGE: &str = "access-control-max-age";

/// Why the browser refuses a response (a network error in Fetch; page script
/// only sees `TypeError: Failed to fetch`).
///
/// Whether the refusal happened on the preflight or on the actual response is
/// recorded by [`crate::Outcome`], not here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocked {
    /// No `Access-Control-Allow-Origin` header.
    MissingAllowOrigin,
    /// `Access-Control-Allow-Origin` was sent more than once, or its value
    /// lists several origins (`value` is the combined value).
    MultipleAllowOrigin {
        /// The combined value, e.g. `"https://a.example, https://a.example"`.
        value: String,
    },
    /// `Access-Control-Allow-Origin: *` on a request with credentials mode
    /// `"include"`, where `*` is taken literally and never matches.
    WildcardOriginWithCredentials,
    /// `Access-Control-Allow-Origin` is not byte-for-byte the request's origin.
    AllowOriginMismatch {
        /// The value received.
        value: String,
    },
    /// Credentials mode `"include"` and `Access-Control-Allow-Credentials` is
    /// not exactly `true`.
    InvalidAllowCredentials {
        /// The (combined) value received, `None` when absent.
        value: Option<String>,
    },
    /// The preflight response's status is not an ok status (200-299);
    /// redirects are not followed for preflights.
    PreflightInvalidStatus {
        /// The status received.
        status: u16,
    },
    /// `Access-Control-Allow-Methods` does not parse as a list of tokens.
    InvalidAllowMethods {
        /// The combined value received.
        value: String,
    },
    /// `Access-Control-Allow-Headers` does not parse as a list of tokens.
    InvalidAllowHeaders {
        /// The combined value received.
        value: String,
    },
    /// The request's (normalized) method is neither CORS-safelisted nor in
    /// `Access-Control-Allow-Methods` (nor covered by `*`).
    MethodNotAllowed {
        /// The method as sent in `Access-Control-Request-Method`.
        method: String,
    },
    /// A request header is not allowed by `Access-Control-Allow-Headers`.
    HeaderNotAllowed {
        /// The header name, lower-cased.
        header: String,
    },
}

impl Blocked {
    /// The closest Chromium DevTools `CorsError` code (as in
    /// `Network.CorsErrorStatus`), given whether this was a preflight.
    /// Approximate: Chromium also distinguishes invalid from mismatched
    /// `Access-Control-Allow-Origin` values, which this model does not.
    pub fn chromium_code(&self, preflight: bool) -> &'static str {
        match (self, preflight) {
            (Blocked::MissingAllowOrigin, false) => "MissingAllowOriginHeader",
            (Blocked::MissingAllowOrigin, true) => "PreflightMissingAllowOriginHeader",
            (Blocked::MultipleAllowOrigin { .. }, false) => "MultipleAllowOriginValues",
            (Blocked::MultipleAllowOrigin { .. }, true) => "PreflightMultipleAllowOriginValues",
            (Blocked::WildcardOriginWithCredentials, false) => "WildcardOriginNotAllowed",
            (Blocked::WildcardOriginWithCredentials, true) => "PreflightWildcardOriginNotAllowed",
            (Blocked::AllowOriginMismatch { .. }, false) => "AllowOriginMismatch",
            (Blocked::AllowOriginMismatch { .. }, true) => "PreflightAllowOriginMismatch",
            (Blocked::InvalidAllowCredentials { .. }, false) => "InvalidAllowCredentials",
            (Blocked::InvalidAllowCredentials { .. }, true) => "PreflightInvalidAllowCredentials",
            (Blocked::PreflightInvalidStatus { .. }, _) => "PreflightInvalidStatus",
            (Blocked::InvalidAllowMethods { .. }, _) => "InvalidAllowMethodsPreflightResponse",
            (Blocked::InvalidAllowHeaders { .. }, _) => "InvalidAllowHeadersPreflightResponse",
            (Blocked::MethodNotAllowed { .. }, _) => "MethodDisallowedByPreflightResponse",
            (Blocked::HeaderNotAllowed { .. }, _) => "HeaderDisallowedByPreflightResponse",
        }
    }
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Blocked::MissingAllowOrigin => {
                f.write_str("no 'Access-Control-Allow-Origin' header is present on the requested resource")
            }
            Blocked::MultipleAllowOrigin { value } => write!(
                f,
                "the 'Access-Control-Allow-Origin' header contains multiple values '{value}', but only one is allowed"
            ),
            Blocked::WildcardOriginWithCredentials => f.write_str(
                "the value of the 'Access-Control-Allow-Origin' header must not be the wildcard '*' \
                 when the request's credentials mode is 'include'",
            ),
            Blocked::AllowOriginMismatch { value } => write!(
                f,
                "the 'Access-Control-Allow-Origin' header has a value '{value}' that is not equal to the supplied origin"
            ),
            Blocked::InvalidAllowCredentials { value } => write!(
                f,
                "the value of the 'Access-Control-Allow-Credentials' header is '{}', which must be 'true' \
                 when the request's credentials mode is 'include'",
                value.as_deref().unwrap_or("")
            ),
            Blocked::PreflightInvalidStatus { status } => {
                write!(f, "response to preflight request does not have HTTP ok status ({status})")
            }
            Blocked::InvalidAllowMethods { value } => {
                write!(f, "cannot parse Access-Control-Allow-Methods response header field '{value}'")
            }
            Blocked::InvalidAllowHeaders { value } => {
                write!(f, "cannot parse Access-Control-Allow-Headers response header field '{value}'")
            }
            Blocked::MethodNotAllowed { method } => write!(
                f,
                "method {method} is not allowed by Access-Control-Allow-Methods in preflight response"
            ),
            Blocked::HeaderNotAllowed { header } => write!(
                f,
                "request header field {header} is not allowed by Access-Control-Allow-Headers in preflight response"
            ),
        }
    }
}

impl std::error::Error for Blocked {}

/// The values of every header named `name`, in order, trimmed.
fn header_values<'a>(headers: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| trim_http_whitespace(v))
        .collect()
}

/// Fetch header list "get": the values combined with `", "`, or `None`.
fn get_header(headers: &[(String, String)], name: &str) -> Option<String> {
    let values = header_values(headers, name);
    (!values.is_empty()).then(|| values.join(", "))
}

/// Result of Fetch "extract header list values" for a `#token` header.
enum Extracted {
    /// The header is absent.
    Null,
    /// Some value does not parse.
    Failure,
    /// The tokens of all values, in order.
    Values(Vec<String>),
}

fn extract_token_list(headers: &[(String, String)], name: &str) -> Extracted {
    let values = header_values(headers, name);
    if values.is_empty() {
        return Extracted::Null;
    }
    let mut out = Vec::new();
    for value in values {
        match parse_token_list(value) {
            Some(tokens) => out.extend(tokens),
            None => return Extracted::Failure,
        }
    }
    Extracted::Values(out)
}

/// Fetch "CORS check" of a response (preflight or actual) for `req`:
///
/// 1. `Access-Control-Allow-Origin` absent: failure;
/// 2. credentials mode not `"include"` and the value is `*`: success;
/// 3. the value is not byte-for-byte the request's origin: failure (so `*`
///    with `"include"`, a repeated header, a different case or a trailing
///    slash all fail);
/// 4. credentials mode not `"include"`: success;
/// 5. `Access-Control-Allow-Credentials` must be exactly `true`.
pub fn cors_check(req: &BrowserRequest, headers: &[(String, String)]) -> Result<(), Blocked> {
    let values = header_values(headers, ALLOW_ORIGIN);
    if values.is_empty() {
        return Err(Blocked::MissingAllowOrigin);
    }
    let origin = values.join(", ");
    let include = req.credentials.is_include();
    if !include && origin == "*" {
        return Ok(());
    }
    if origin != req.origin {
        return Err(if values.len() > 1 || origin.contains(',') {
            Blocked::MultipleAllowOrigin { value: origin }
        } else if origin == "*" {
            Blocked::WildcardOriginWithCredentials
        } else {
            Blocked::AllowOriginMismatch { value: origin }
        });
    }
    if !include {
        return Ok(());
    }
    match get_header(headers, ALLOW_CREDENTIALS) {
        Some(v) if v == "true" => Ok(()),
        value => Err(Blocked::InvalidAllowCredentials { value }),
    }
}

/// Fetch "CORS-preflight fetch" step 7, applied to the preflight response for
/// `req`:
///
/// 1. the [`cors_check`] must pass (so a credentialed request needs
///    `Access-Control-Allow-Credentials: true` on the preflight too), and the
///    status must be an ok status (200-299); the CORS check is reported first,
///    as Chromium does;
/// 2. `Access-Control-Allow-Methods` and `-Allow-Headers` must parse as
///    comma-separated token lists (empty elements tolerated);
/// 3. the normalized method must be CORS-safelisted, listed (exact,
///    case-sensitive match) or, when credentials mode is not `"include"`,
///    covered by a `*` element;
/// 4. an `Authorization` request header must be listed by name (`*` never
///    covers it);
/// 5. every CORS-unsafe request-header name must be listed
///    (case-insensitively) or, when credentials mode is not `"include"`,
///    covered by `*`.
///
/// `Access-Control-Max-Age` only affects caching and is ignored here (see
/// [`preflight_max_age`]).
pub fn check_preflight_response(
    req: &BrowserRequest,
    status: u16,
    headers: &[(String, String)],
) -> Result<(), Blocked> {
    cors_check(req, headers)?;
    if !(200..=299).contains(&status) {
        return Err(Blocked::PreflightInvalidStatus { status });
    }
    let methods = match extract_token_list(headers, ALLOW_METHODS) {
        Extracted::Failure => {
            let value = get_header(headers, ALLOW_METHODS).unwrap_or_default();
            return Err(Blocked::InvalidAllowMethods { value });
        }
        Extracted::Null => Vec::new(),
        Extracted::Values(v) => v,
    };
    let header_names = match extract_token_list(headers, ALLOW_HEADERS) {
        Extracted::Failure => {
            let value = get_header(headers, ALLOW_HEADERS).unwrap_or_default();
            return Err(Blocked::InvalidAllowHeaders { value });
        }
        Extracted::Null => Vec::new(),
        Extracted::Values(v) => v,
    };
    let include = req.credentials.is_include();

    let method = normalize_method(&req.method);
    let wildcard_methods = !include && methods.iter().any(|m| m == "*");
    if !methods.contains(&method) && !is_cors_safelisted_method(&method) && !wildcard_methods {
        return Err(Blocked::MethodNotAllowed { method });
    }

    let listed = |name: &str| header_names.iter().any(|h| h.eq_ignore_ascii_case(name));
    let request_headers = request_header_list(req);
    for (name, _) in &request_headers {
        if is_cors_non_wildcard_request_header_name(name) && !listed(name) {
            return Err(Blocked::HeaderNotAllowed {
                header: name.to_ascii_lowercase(),
            });
        }
    }
    let wildcard_headers = !include && header_names.iter().any(|h| h == "*");
    for name in cors_unsafe_request_header_names(&request_headers) {
        if !listed(&name) && !wildcard_headers {
            return Err(Blocked::HeaderNotAllowed { header: name });
        }
    }
    Ok(())
}

/// `Access-Control-Max-Age` as Fetch extracts it: exactly one header whose
/// value is `delta-seconds` (one or more ASCII digits; saturating at
/// `u64::MAX`). `None` when absent, repeated, negative, fractional or
/// otherwise invalid, in which case browsers cache the preflight for 5 s.
/// Browsers cap the value (Chromium at 7,200 s, Firefox at 86,400 s).
pub fn preflight_max_age(headers: &[(String, String)]) -> Option<u64> {
    let values = header_values(headers, MAX_AGE);
    let [value] = values.as_slice() else {
        return None;
    };
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(value.parse::<u64>().unwrap_or(u64::MAX))
}

/// Fetch "CORS-safelisted response-header name" fixed part: the response
/// headers script may always read.
pub const SAFELISTED_RESPONSE_HEADERS: [&str; 7] = [
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
];

/// Fetch "forbidden response-header name": `Set-Cookie`, `Set-Cookie2`.
pub fn is_forbidden_response_header_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("set-cookie") || name.eq_ignore_ascii_case("set-cookie2")
}

/// The names (lower-cased, sorted, deduplicated) of the headers of an actual
/// response that page script can read through a CORS filtered response:
///
/// - the CORS-safelisted response-header names `Cache-Control`,
///   `Content-Language`, `Content-Length`, `Content-Type`, `Expires`,
///   `Last-Modified`, `Pragma`;
/// - names listed in `Access-Control-Expose-Headers` (case-insensitive), or
///   every name in the response if that list contains `*` and credentials
///   mode is not `"include"` (with `"include"`, `*` only names a header
///   literally called `*`); an unparsable list exposes nothing extra;
/// - never `Set-Cookie` or `Set-Cookie2`.
///
/// Only headers present in `headers` are returned. This does not run the
/// [`cors_check`]; see [`crate::response_outcome`].
pub fn readable_response_headers(
    req: &BrowserRequest,
    headers: &[(String, String)],
) -> Vec<String> {
    let exposed: Vec<String> = match extract_token_list(headers, EXPOSE_HEADERS) {
        Extracted::Values(names)
            if !req.credentials.is_include() && names.iter().any(|n| n == "*") =>
        {
            headers.iter().map(|(n, _)| n.clone()).collect()
        }
        Extracted::Values(names) => names,
        Extracted::Null | Extracted::Failure => Vec::new(),
    };
    let mut out: Vec<String> = headers
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .filter(|n| {
            SAFELISTED_RESPONSE_HEADERS.contains(&n.as_str())
                || (!is_forbidden_response_header_name(n)
                    && exposed.iter().any(|e| e.eq_ignore_ascii_case(n)))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::CredentialsMode;

    const PAGE: &str = "http://localhost:8000";

    fn h(headers: &[(&str, &str)]) -> Vec<(String, String)> {
        headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn get() -> BrowserRequest {
        BrowserRequest::new(PAGE, "GET")
    }

    fn with_creds(req: BrowserRequest) -> BrowserRequest {
        req.credentials(CredentialsMode::Include)
    }

    // ---- CORS check ----

    /// CORS check step 2: no `Access-Control-Allow-Origin`, failure.
    #[test]
    fn missing_allow_origin() {
        assert_eq!(
            cors_check(&get(), &h(&[("Vary", "Origin")])),
            Err(Blocked::MissingAllowOrigin)
        );
    }

    /// CORS check steps 3-4: `*` passes without credentials (omit and
    /// same-origin alike); otherwise byte-for-byte match with the origin.
    #[test]
    fn allow_origin_matching() {
        for mode in [CredentialsMode::Omit, CredentialsMode::SameOrigin] {
            let req = get().credentials(mode);
            assert_eq!(
                cors_check(&req, &h(&[("Access-Control-Allow-Origin", "*")])),
                Ok(())
            );
            assert_eq!(
                cors_check(&req, &h(&[("access-control-allow-origin", PAGE)])),
                Ok(())
            );
        }
        // Value trimmed like an HTTP parser does.
        assert_eq!(
            cors_check(
                &get(),
                &h(&[("Access-Control-Allow-Origin", " http://localhost:8000 ")])
            ),
            Ok(())
        );
        for wrong in [
            "http://LOCALHOST:8000",
            "http://localhost:8000/",
            "http://localhost",
            "https://localhost:8000",
            "null",
            "",
        ] {
            assert_eq!(
                cors_check(&get(), &h(&[("Access-Control-Allow-Origin", wrong)])),
                Err(Blocked::AllowOriginMismatch {
                    value: wrong.to_owned()
                }),
                "{wrong:?}"
            );
        }
    }

    /// CORS check step 4 with an opaque origin: `null` matches `null`, which
    /// is why allowing it is dangerous (the opaque origin, shared by sandboxed frames and data: URLs).
    #[test]
    fn null_origin() {
        let req = BrowserRequest::new("null", "GET");
        assert_eq!(
            cors_check(&req, &h(&[("Access-Control-Allow-Origin", "null")])),
            Ok(())
        );
    }

    /// "get" combines repeated headers with ", ", so a repeated ACAO (even
    /// with identical values) or a list of origins never matches.
    #[test]
    fn duplicate_allow_origin() {
        let dup = h(&[
            ("Access-Control-Allow-Origin", PAGE),
            ("access-control-allow-origin", PAGE),
        ]);
        assert_eq!(
            cors_check(&get(), &dup),
            Err(Blocked::MultipleAllowOrigin {
                value: format!("{PAGE}, {PAGE}")
            })
        );
        let dup_star = h(&[
            ("Access-Control-Allow-Origin", "*"),
            ("Access-Control-Allow-Origin", "*"),
        ]);
        assert!(matches!(
            cors_check(&get(), &dup_star),
            Err(Blocked::MultipleAllowOrigin { .. })
        ));
        let listed = h(&[(
            "Access-Control-Allow-Origin",
            "http://localhost:8000, http://other:1",
        )]);
        assert!(matches!(
            cors_check(&get(), &listed),
            Err(Blocked::MultipleAllowOrigin { .. })
        ));
    }

    /// CORS check step 4 with credentials "include": `*` is literal and fails
    /// (Fetch: `*` is a wildcard only without credentials).
    #[test]
    fn wildcard_origin_with_credentials() {
        let headers = h(&[
            ("Access-Control-Allow-Origin", "*"),
            ("Access-Control-Allow-Credentials", "true"),
        ]);
        assert_eq!(
            cors_check(&with_creds(get()), &headers),
            Err(Blocked::WildcardOriginWithCredentials)
        );
    }

    /// CORS check steps 6-8: with "include", ACAC must be exactly `true`
    /// (Fetch: the value must be exactly `true`); without "include" it is not looked at.
    #[test]
    fn allow_credentials() {
        let req = with_creds(get());
        let acao = ("Access-Control-Allow-Origin", PAGE);
        assert_eq!(
            cors_check(
                &req,
                &h(&[acao, ("Access-Control-Allow-Credentials", "true")])
            ),
            Ok(())
        );
        assert_eq!(
            cors_check(
                &req,
                &h(&[acao, ("access-control-allow-credentials", " true ")])
            ),
            Ok(())
        );
        assert_eq!(
            cors_check(&req, &h(&[acao])),
            Err(Blocked::InvalidAllowCredentials { value: None })
        );
        for bad in ["True", "TRUE", "1", "yes", "", "false", "true;"] {
            assert_eq!(
                cors_check(&req, &h(&[acao, ("Access-Control-Allow-Credentials", bad)])),
                Err(Blocked::InvalidAllowCredentials {
                    value: Some(bad.to_owned())
                }),
                "{bad:?}"
            );
        }
        let dup = h(&[
            acao,
            ("Access-Control-Allow-Credentials", "true"),
            ("Access-Control-Allow-Credentials", "true"),
        ]);
        assert_eq!(
            cors_check(&req, &dup),
            Err(Blocked::InvalidAllowCredentials {
                value: Some("true, true".to_owned())
            })
        );
        assert_eq!(
            cors_check(
                &get(),
                &h(&[acao, ("Access-Control-Allow-Credentials", "nope")])
            ),
            Ok(())
        );
    }

    // ---- preflight ----

    fn ok_preflight(extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut headers = h(&[("Access-Control-Allow-Origin", PAGE)]);
        headers.extend(h(extra));
        headers
    }

    /// CORS-preflight fetch step 7 / "ok status": any 2xx passes, anything
    /// else fails even with correct CORS headers (Fetch: a preflight needs an ok status, and redirects are not followed).
    #[test]
    fn preflight_status() {
        let req = BrowserRequest::new(PAGE, "PUT");
        let headers = ok_preflight(&[("Access-Control-Allow-Methods", "PUT")]);
        for status in [200, 204, 299] {
            assert_eq!(
                check_preflight_response(&req, status, &headers),
                Ok(()),
                "{status}"
            );
        }
        for status in [100, 199, 300, 301, 302, 304, 307, 400, 404, 405, 500, 503] {
            assert_eq!(
                check_preflight_response(&req, status, &headers),
                Err(Blocked::PreflightInvalidStatus { status }),
                "{status}"
            );
        }
    }

    /// CORS-preflight fetch step 7: the CORS check applies to the preflight,
    /// and is reported before the status.
    #[test]
    fn preflight_cors_check() {
        let req = BrowserRequest::new(PAGE, "PUT");
        assert_eq!(
            check_preflight_response(&req, 404, &h(&[("Access-Control-Allow-Methods", "PUT")])),
            Err(Blocked::MissingAllowOrigin)
        );
        // Credentialed preflights need ACAC: true too (Fetch: CORS check of the preflight, with credentials).
        let req = with_creds(req);
        let headers = ok_preflight(&[("Access-Control-Allow-Methods", "PUT")]);
        assert_eq!(
            check_preflight_response(&req, 204, &headers),
            Err(Blocked::InvalidAllowCredentials { value: None })
        );
        let mut headers = headers;
        headers.push(("Access-Control-Allow-Credentials".into(), "true".into()));
        assert_eq!(check_preflight_response(&req, 204, &headers), Ok(()));
    }

    /// CORS-preflight fetch step 7.5: method listed (exact), safelisted, or
    /// `*` without credentials.
    #[test]
    fn preflight_methods() {
        let put = BrowserRequest::new(PAGE, "put");
        let allow = |v: &str| ok_preflight(&[("Access-Control-Allow-Methods", v)]);
        assert_eq!(
            check_preflight_response(&put, 204, &allow("GET, PUT")),
            Ok(())
        );
        assert_eq!(
            check_preflight_response(&put, 204, &allow("GET,PUT,")),
            Ok(())
        );
        assert_eq!(
            check_preflight_response(&put, 204, &allow("GET")),
            Err(Blocked::MethodNotAllowed {
                method: "PUT".into()
            })
        );
        assert_eq!(
            check_preflight_response(&put, 204, &allow("get, put")),
            Err(Blocked::MethodNotAllowed {
                method: "PUT".into()
            }),
            "methods compare case-sensitively"
        );
        assert_eq!(
            check_preflight_response(&put, 204, &ok_preflight(&[])),
            Err(Blocked::MethodNotAllowed {
                method: "PUT".into()
            })
        );
        // Repeated ACAM headers are concatenated lists.
        let split = ok_preflight(&[
            ("Access-Control-Allow-Methods", "GET"),
            ("Access-Control-Allow-Methods", "PUT"),
        ]);
        assert_eq!(check_preflight_response(&put, 204, &split), Ok(()));
        // A safelisted method passes without any ACAM (preflight caused by a header).
        let get_with_header = get().header("X-Foo", "1");
        let headers = ok_preflight(&[("Access-Control-Allow-Headers", "X-Foo")]);
        assert_eq!(
            check_preflight_response(&get_with_header, 204, &headers),
            Ok(())
        );
    }

    /// Normalization only upper-cases the six standard methods: `patch` is
    /// sent as-is and fails against `PATCH` (Chromium facts).
    #[test]
    fn preflight_patch_case() {
        let allow = ok_preflight(&[("Access-Control-Allow-Methods", "GET, PATCH")]);
        assert_eq!(
            check_preflight_response(&BrowserRequest::new(PAGE, "patch"), 204, &allow),
            Err(Blocked::MethodNotAllowed {
                method: "patch".into()
            })
        );
        assert_eq!(
            check_preflight_response(&BrowserRequest::new(PAGE, "PATCH"), 204, &allow),
            Ok(())
        );
        let lower = ok_preflight(&[("Access-Control-Allow-Methods", "patch")]);
        assert_eq!(
            check_preflight_response(&BrowserRequest::new(PAGE, "patch"), 204, &lower),
            Ok(())
        );
    }

    /// CORS-preflight fetch step 7.5: `*` in ACAM covers any method without
    /// credentials and is the literal method `*` with "include".
    #[test]
    fn preflight_wildcard_methods() {
        let star = ok_preflight(&[
            ("Access-Control-Allow-Methods", "*"),
            ("Access-Control-Allow-Credentials", "true"),
        ]);
        assert_eq!(
            check_preflight_response(&BrowserRequest::new(PAGE, "DELETE"), 204, &star),
            Ok(())
        );
        assert_eq!(
            check_preflight_response(&BrowserRequest::new(PAGE, "patch"), 204, &star),
            Ok(())
        );
        assert_eq!(
            check_preflight_response(&with_creds(BrowserRequest::new(PAGE, "DELETE")), 204, &star),
            Err(Blocked::MethodNotAllowed {
                method: "DELETE".into()
            })
        );
        // Safelisted methods pass with credentials regardless.
        let post = with_creds(
            BrowserRequest::new(PAGE, "POST").header("Content-Type", "application/json"),
        );
        let mut headers = star.clone();
        headers.push(("Access-Control-Allow-Headers".into(), "content-type".into()));
        assert_eq!(check_preflight_response(&post, 204, &headers), Ok(()));
    }

    /// CORS-preflight fetch step 7.3: ACAM / ACAH that fail to parse as
    /// `#token` lists fail the preflight, even when the method is safelisted.
    #[test]
    fn preflight_unparsable_lists() {
        let req = get().header("X-Foo", "1");
        for bad in ["GET PUT", "GET;PUT", "\"GET\"", "GET, (PUT)"] {
            let headers = ok_preflight(&[
                ("Access-Control-Allow-Methods", bad),
                ("Access-Control-Allow-Headers", "x-foo"),
            ]);
            assert_eq!(
                check_preflight_response(&req, 204, &headers),
                Err(Blocked::InvalidAllowMethods { value: bad.into() }),
                "{bad:?}"
            );
        }
        for bad in ["x-foo x-bar", "x-foo:1", "x/foo"] {
            let headers = ok_preflight(&[("Access-Control-Allow-Headers", bad)]);
            assert_eq!(
                check_preflight_response(&req, 204, &headers),
                Err(Blocked::InvalidAllowHeaders { value: bad.into() }),
                "{bad:?}"
            );
        }
        // Empty elements and whitespace are tolerated.
        let headers = ok_preflight(&[
            ("Access-Control-Allow-Headers", " , X-Foo ,,"),
            ("Access-Control-Allow-Methods", ""),
        ]);
        assert_eq!(check_preflight_response(&req, 204, &headers), Ok(()));
    }

    /// CORS-preflight fetch step 7.7: each CORS-unsafe name must be listed,
    /// case-insensitively.
    #[test]
    fn preflight_headers() {
        let req = BrowserRequest::new(PAGE, "POST")
            .header("Content-Type", "application/json")
            .header("X-Requested-With", "fetch");
        let allow = |v: &str| ok_preflight(&[("Access-Control-Allow-Headers", v)]);
        assert_eq!(
            check_preflight_response(&req, 200, &allow("content-type, x-requested-with")),
            Ok(())
        );
        assert_eq!(
            check_preflight_response(&req, 200, &allow("X-REQUESTED-WITH,Content-Type")),
            Ok(())
        );
        assert_eq!(
            check_preflight_response(&req, 200, &allow("x-requested-with")),
            Err(Blocked::HeaderNotAllowed {
                header: "content-type".into()
            })
        );
        assert_eq!(
            check_preflight_response(&req, 200, &ok_preflight(&[])),
            Err(Blocked::HeaderNotAllowed {
                header: "content-type".into()
            })
        );
        // A safelisted header need not be listed.
        let req = BrowserRequest::new(PAGE, "PUT").header("Content-Type", "text/plain");
        let headers = ok_preflight(&[("Access-Control-Allow-Methods", "PUT")]);
        assert_eq!(check_preflight_response(&req, 200, &headers), Ok(()));
    }

    /// CORS-preflight fetch step 7.7: `*` in ACAH covers any name without
    /// credentials; with "include" it only names a header called `*`.
    #[test]
    fn preflight_wildcard_headers() {
        let req = get().header("X-Foo", "1").header("X-Bar", "2");
        let star = ok_preflight(&[
            ("Access-Control-Allow-Headers", "*"),
            ("Access-Control-Allow-Credentials", "true"),
        ]);
        assert_eq!(check_preflight_response(&req, 204, &star), Ok(()));
        assert_eq!(
            check_preflight_response(&with_creds(req.clone()), 204, &star),
            Err(Blocked::HeaderNotAllowed {
                header: "x-bar".into()
            })
        );
        let mut listed = star.clone();
        listed.push(("Access-Control-Allow-Headers".into(), "x-foo, x-bar".into()));
        assert_eq!(
            check_preflight_response(&with_creds(req), 204, &listed),
            Ok(())
        );
    }

    /// CORS-preflight fetch step 7.6 + "CORS non-wildcard request-header
    /// name": `*` never covers `Authorization`, even without credentials
    /// (Fetch: `*` is a wildcard only without credentials).
    #[test]
    fn authorization_not_covered_by_wildcard() {
        let req = get()
            .header("Authorization", "Bearer t")
            .header("X-Foo", "1");
        let star = ok_preflight(&[("Access-Control-Allow-Headers", "*")]);
        assert_eq!(
            check_preflight_response(&req, 204, &star),
            Err(Blocked::HeaderNotAllowed {
                header: "authorization".into()
            })
        );
        let both = ok_preflight(&[("Access-Control-Allow-Headers", "*, Authorization")]);
        assert_eq!(check_preflight_response(&req, 204, &both), Ok(()));
        let creds = with_creds(req);
        let listed = ok_preflight(&[
            ("Access-Control-Allow-Headers", "authorization, x-foo"),
            ("Access-Control-Allow-Credentials", "true"),
        ]);
        assert_eq!(check_preflight_response(&creds, 204, &listed), Ok(()));
    }

    /// Forbidden request-headers never reach the preflight checks.
    #[test]
    fn forbidden_headers_ignored_by_preflight() {
        let req = BrowserRequest::new(PAGE, "PUT")
            .header("Cookie", "a=b")
            .header("Sec-Foo", "1");
        let headers = ok_preflight(&[("Access-Control-Allow-Methods", "PUT")]);
        assert_eq!(check_preflight_response(&req, 204, &headers), Ok(()));
    }

    // ---- max-age ----

    /// `Access-Control-Max-Age = delta-seconds`, a single header; failure or
    /// absence means the default (Fetch: a value that is not a non-negative integer is ignored, and no value means 5 seconds).
    #[test]
    fn max_age() {
        let m = |v: &str| preflight_max_age(&h(&[("Access-Control-Max-Age", v)]));
        assert_eq!(m("600"), Some(600));
        assert_eq!(m("0"), Some(0));
        assert_eq!(m(" 86400 "), Some(86400));
        assert_eq!(m("99999999999999999999999"), Some(u64::MAX));
        for bad in ["-1", "1.5", "", "10s", "+5", "5, 5", "0x10"] {
            assert_eq!(m(bad), None, "{bad:?}");
        }
        assert_eq!(preflight_max_age(&[]), None);
        let two = h(&[
            ("Access-Control-Max-Age", "5"),
            ("access-control-max-age", "5"),
        ]);
        assert_eq!(preflight_max_age(&two), None);
    }

    // ---- readable headers ----

    /// "CORS-safelisted response-header name": the seven fixed names,
    /// including `Content-Length` (Fetch: CORS-safelisted response-header names), are always readable.
    #[test]
    fn safelisted_response_headers() {
        let headers = h(&[
            ("Cache-Control", "no-store"),
            ("Content-Language", "en"),
            ("Content-Length", "2"),
            ("Content-Type", "text/plain"),
            ("Expires", "0"),
            ("Last-Modified", "x"),
            ("Pragma", "no-cache"),
            ("ETag", "\"1\""),
            ("X-Custom", "1"),
            ("Set-Cookie", "a=b"),
            ("Access-Control-Allow-Origin", "*"),
        ]);
        assert_eq!(
            readable_response_headers(&get(), &headers),
            [
                "cache-control",
                "content-language",
                "content-length",
                "content-type",
                "expires",
                "last-modified",
                "pragma"
            ]
        );
    }

    /// Main fetch step 14.1: names in ACEH are exposed, case-insensitively;
    /// only names present in the response are reported.
    #[test]
    fn exposed_headers() {
        let headers = h(&[
            ("X-Custom", "1"),
            ("x-custom", "2"),
            ("ETag", "\"1\""),
            ("X-Hidden", "1"),
            ("Access-Control-Expose-Headers", "x-CUSTOM, etag, X-Absent"),
        ]);
        assert_eq!(
            readable_response_headers(&get(), &headers),
            ["etag", "x-custom"]
        );
        // Several ACEH headers are concatenated.
        let headers = h(&[
            ("X-A", "1"),
            ("X-B", "1"),
            ("Access-Control-Expose-Headers", "X-A"),
            ("Access-Control-Expose-Headers", "X-B"),
        ]);
        assert_eq!(readable_response_headers(&get(), &headers), ["x-a", "x-b"]);
        // An unparsable list exposes nothing beyond the safelist.
        let headers = h(&[
            ("X-A", "1"),
            ("Content-Type", "a/b"),
            ("Access-Control-Expose-Headers", "X-A X-B"),
        ]);
        assert_eq!(
            readable_response_headers(&get(), &headers),
            ["content-type"]
        );
    }

    /// Main fetch step 14.1.2: `*` exposes every header without credentials,
    /// but is the literal name `*` with "include" (Fetch: `*` is a wildcard only without credentials).
    #[test]
    fn wildcard_expose() {
        let headers = h(&[
            ("X-A", "1"),
            ("Content-Type", "text/plain"),
            ("Set-Cookie", "a=b"),
            ("Access-Control-Expose-Headers", "*"),
        ]);
        assert_eq!(
            readable_response_headers(&get(), &headers),
            ["access-control-expose-headers", "content-type", "x-a"]
        );
        assert_eq!(
            readable_response_headers(&with_creds(get()), &headers),
            ["content-type"]
        );
        let mut literal = headers.clone();
        literal.push(("*".into(), "whoa".into()));
        assert_eq!(
            readable_response_headers(&with_creds(get()), &literal),
            ["*", "content-type"]
        );
    }

    /// "Forbidden response-header name": `Set-Cookie`/`Set-Cookie2` are never
    /// readable, even when listed (Fetch: CORS-safelisted response-header names; Set-Cookie is never readable).
    #[test]
    fn set_cookie_never_readable() {
        let headers = h(&[
            ("Set-Cookie", "a=b"),
            ("set-cookie2", "c=d"),
            ("Access-Control-Expose-Headers", "Set-Cookie, Set-Cookie2"),
        ]);
        assert!(readable_response_headers(&get(), &headers).is_empty());
        assert!(readable_response_headers(&with_creds(get()), &headers).is_empty());
        assert!(is_forbidden_response_header_name("SET-COOKIE"));
        assert!(!is_forbidden_response_header_name("Set-Cookie3"));
    }

    /// The DevTools codes named in the Chromium facts note.
    #[test]
    fn chromium_codes() {
        assert_eq!(
            Blocked::MissingAllowOrigin.chromium_code(true),
            "PreflightMissingAllowOriginHeader"
        );
        assert_eq!(
            Blocked::MethodNotAllowed {
                method: "PUT".into()
            }
            .chromium_code(true),
            "MethodDisallowedByPreflightResponse"
        );
        assert_eq!(
            Blocked::WildcardOriginWithCredentials.chromium_code(false),
            "WildcardOriginNotAllowed"
        );
        assert_eq!(
            Blocked::PreflightInvalidStatus { status: 404 }.chromium_code(true),
            "PreflightInvalidStatus"
        );
        assert!(Blocked::PreflightInvalidStatus { status: 404 }
            .to_string()
            .contains("404"));
    }
}
