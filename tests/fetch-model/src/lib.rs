//! A reference model of the **browser's side** of CORS, written from the
//! WHATWG Fetch standard (<https://fetch.spec.whatwg.org/>), for property
//! tests of the `cors-actix` middleware. It has no dependencies and does not
//! look at the server implementation.
//!
//! A [`BrowserRequest`] describes a cross-origin `fetch()` call in `"cors"`
//! mode as a page wrote it. The model answers what the browser would do:
//!
//! - whether `fetch()` throws before sending anything ([`validate_request`]);
//! - whether a CORS-preflight is sent ([`needs_preflight`]) and its exact
//!   shape ([`preflight_request`]), and the actual request ([`actual_request`]);
//! - whether the preflight response lets the actual request go
//!   ([`check_preflight_response`]);
//! - whether the actual response may be read ([`cors_check`]) and which of
//!   its headers script can see ([`readable_response_headers`]).
//!
//! [`fetch`] chains these steps around a synchronous `send` callback; async
//! tests can chain the same step functions themselves, with
//! [`response_outcome`] for the last step.
//!
//! ```
//! use cors_fetch_model::{fetch, BrowserRequest, CredentialsMode, Outcome};
//!
//! let req = BrowserRequest::new("http://localhost:8000", "patch")
//!     .header("Content-Type", "application/json")
//!     .credentials(CredentialsMode::Include);
//! let outcome = fetch(&req, |wire| {
//!     if wire.method == "OPTIONS" {
//!         assert_eq!(wire.header("Access-Control-Request-Method"), Some("patch"));
//!         assert_eq!(wire.header("Access-Control-Request-Headers"), Some("content-type"));
//!     }
//!     let headers = vec![
//!         ("Access-Control-Allow-Origin".to_owned(), "http://localhost:8000".to_owned()),
//!         ("Access-Control-Allow-Credentials".to_owned(), "true".to_owned()),
//!         ("Access-Control-Allow-Methods".to_owned(), "PATCH".to_owned()),
//!         ("Access-Control-Allow-Headers".to_owned(), "Content-Type".to_owned()),
//!     ];
//!     (204, headers)
//! });
//! // `patch` is not normalized, so `PATCH` does not allow it.
//! assert!(matches!(outcome, Outcome::PreflightBlocked(_)));
//! ```
//!
//! # Scope
//!
//! Modelled: forbidden methods and method normalization; CORS-safelisted
//! methods and request-headers (including the `Content-Type`, 128-byte,
//! 1,024-byte and `Range` rules); forbidden request-headers (silently dropped);
//! the default `Accept: */*`; CORS-unsafe request-header names; the preflight
//! request; the CORS check; the preflight response checks (ok status, method
//! and header lists, `*` only without credentials, `Authorization` never
//! covered by `*`); `Access-Control-Max-Age` parsing; the CORS filtered
//! response's readable headers.
//!
//! Not modelled: the preflight cache, redirects (of the actual request),
//! request bodies and the `Content-Type` they imply, the use-CORS-preflight
//! flag (upload listeners, streams), `no-cors`/same-origin/navigate modes,
//! cookies, the user agent's own headers, Private/Local Network Access, and
//! CORP/CORB/ORB.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod request;
mod response;
mod syntax;

pub use request::{
    actual_request, cors_unsafe_request_header_names, is_cors_non_wildcard_request_header_name,
    is_cors_safelisted_method, is_cors_safelisted_request_header,
    is_cors_unsafe_request_header_byte, is_forbidden_method, is_forbidden_request_header,
    needs_preflight, normalize_method, preflight_request, request_header_list, validate_request,
    BrowserRequest, CredentialsMode, RequestError, WireRequest,
};
pub use response::{
    check_preflight_response, cors_check, is_forbidden_response_header_name, preflight_max_age,
    readable_response_headers, Blocked, SAFELISTED_RESPONSE_HEADERS,
};

/// What the page's `fetch()` ends with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// `fetch()` throws a `TypeError` synchronously; nothing is sent.
    TypeError(RequestError),
    /// The preflight failed; the actual request is never sent.
    PreflightBlocked(Blocked),
    /// The actual request was sent (and ran on the server) but the response
    /// is not shared with the page.
    Blocked(Blocked),
    /// The page can read the response.
    Readable {
        /// Names (lower-cased, sorted) of the response headers script can read.
        readable_headers: Vec<String>,
    },
}

impl Outcome {
    /// Whether the page can read the response.
    pub fn is_readable(&self) -> bool {
        matches!(self, Outcome::Readable { .. })
    }

    /// Whether the actual request reached the server.
    pub fn actual_request_sent(&self) -> bool {
        matches!(self, Outcome::Blocked(_) | Outcome::Readable { .. })
    }
}

/// The outcome for the actual response's headers (its status does not
/// matter: a 404 or 500 that passes the CORS check is readable): the
/// [`cors_check`], then the [`readable_response_headers`].
pub fn response_outcome(req: &BrowserRequest, headers: &[(String, String)]) -> Outcome {
    match cors_check(req, headers) {
        Err(reason) => Outcome::Blocked(reason),
        Ok(()) => Outcome::Readable {
            readable_headers: readable_response_headers(req, headers),
        },
    }
}

/// Runs the whole browser flow for `req` with no preflight cache:
/// [`validate_request`]; if [`needs_preflight`], sends [`preflight_request`]
/// and applies [`check_preflight_response`]; then sends [`actual_request`] and
/// returns [`response_outcome`].
///
/// `send` receives each request the browser would put on the wire and returns
/// the response's status and headers (names may repeat).
pub fn fetch<F>(req: &BrowserRequest, mut send: F) -> Outcome
where
    F: FnMut(&WireRequest) -> (u16, Vec<(String, String)>),
{
    if let Err(e) = validate_request(req) {
        return Outcome::TypeError(e);
    }
    if needs_preflight(req) {
        let (status, headers) = send(&preflight_request(req));
        if let Err(reason) = check_preflight_response(req, status, &headers) {
            return Outcome::PreflightBlocked(reason);
        }
    }
    let (_status, headers) = send(&actual_request(req));
    response_outcome(req, &headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "http://localhost:8000";

    fn h(headers: &[(&str, &str)]) -> Vec<(String, String)> {
        headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// A forbidden method throws before anything is sent (the Fetch standard's forbidden methods).
    #[test]
    fn forbidden_method_sends_nothing() {
        let mut sent = 0;
        let outcome = fetch(&BrowserRequest::new(PAGE, "TRACE"), |_| {
            sent += 1;
            (200, Vec::new())
        });
        assert!(matches!(
            outcome,
            Outcome::TypeError(RequestError::ForbiddenMethod { .. })
        ));
        assert!(!outcome.actual_request_sent());
        assert_eq!(sent, 0);
    }

    /// A simple request is sent without a preflight; a refused origin still
    /// reaches the server, only the read is blocked (Fetch: a simple request is sent whatever the answer).
    #[test]
    fn simple_request_reaches_server() {
        let mut methods = Vec::new();
        let outcome = fetch(&BrowserRequest::new(PAGE, "get"), |w| {
            methods.push(w.method.clone());
            (200, h(&[("Access-Control-Allow-Origin", "http://other:1")]))
        });
        assert_eq!(methods, ["GET"]);
        assert!(matches!(
            outcome,
            Outcome::Blocked(Blocked::AllowOriginMismatch { .. })
        ));
        assert!(outcome.actual_request_sent());
    }

    /// When the preflight fails the actual request is never sent (Chromium facts).
    #[test]
    fn failed_preflight_stops_actual_request() {
        let mut methods = Vec::new();
        let outcome = fetch(&BrowserRequest::new(PAGE, "DELETE"), |w| {
            methods.push(w.method.clone());
            (
                404,
                h(&[
                    ("Access-Control-Allow-Origin", "*"),
                    ("Access-Control-Allow-Methods", "DELETE"),
                ]),
            )
        });
        assert_eq!(methods, ["OPTIONS"]);
        assert_eq!(
            outcome,
            Outcome::PreflightBlocked(Blocked::PreflightInvalidStatus { status: 404 })
        );
    }

    /// A passing preflight is followed by the actual request, whose own CORS
    /// check and exposed headers decide the result; its status does not matter.
    #[test]
    fn full_flow_readable() {
        let req = BrowserRequest::new(PAGE, "PUT")
            .header("X-Token", "1")
            .credentials(CredentialsMode::Include);
        let mut sent = Vec::new();
        let outcome = fetch(&req, |w| {
            sent.push(w.clone());
            let mut headers = h(&[
                ("Access-Control-Allow-Origin", PAGE),
                ("Access-Control-Allow-Credentials", "true"),
                ("Vary", "Origin"),
            ]);
            if w.method == "OPTIONS" {
                headers.extend(h(&[
                    ("Access-Control-Allow-Methods", "PUT"),
                    ("Access-Control-Allow-Headers", "x-token"),
                ]));
                (204, headers)
            } else {
                headers.extend(h(&[
                    ("X-Request-Id", "7"),
                    ("Content-Type", "application/json"),
                    ("Access-Control-Expose-Headers", "X-Request-Id"),
                ]));
                (404, headers)
            }
        });
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[1].method, "PUT");
        assert_eq!(sent[1].header("X-Token"), Some("1"));
        assert_eq!(
            outcome,
            Outcome::Readable {
                readable_headers: vec!["content-type".into(), "x-request-id".into()]
            }
        );
    }

    /// The actual response needs its own CORS headers; a good preflight is
    /// not enough.
    #[test]
    fn actual_response_checked_separately() {
        let req = BrowserRequest::new(PAGE, "PUT");
        let outcome = fetch(&req, |w| {
            if w.method == "OPTIONS" {
                (
                    204,
                    h(&[
                        ("Access-Control-Allow-Origin", "*"),
                        ("Access-Control-Allow-Methods", "PUT"),
                    ]),
                )
            } else {
                (200, Vec::new())
            }
        });
        assert_eq!(outcome, Outcome::Blocked(Blocked::MissingAllowOrigin));
    }
}
