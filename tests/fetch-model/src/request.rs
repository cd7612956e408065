//! The request side: what `fetch()` accepts, which requests need a
//! CORS-preflight, and the exact requests a browser puts on the wire.

use std::fmt;

use crate::syntax::{get_decode_split, is_token, trim_http_whitespace};

/// A request's credentials mode (`RequestInit.credentials`).
///
/// For the cross-origin requests this model deals with, `Omit` and
/// `SameOrigin` behave the same: only `Include` changes the CORS rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CredentialsMode {
    /// `credentials: "omit"`.
    Omit,
    /// `credentials: "same-origin"`, the default of `fetch()`.
    #[default]
    SameOrigin,
    /// `credentials: "include"`.
    Include,
}

impl CredentialsMode {
    /// Whether this is `"include"`, the only mode that changes the CORS check.
    pub fn is_include(self) -> bool {
        self == CredentialsMode::Include
    }
}

/// A cross-origin `fetch()` call in `"cors"` mode, as the page wrote it.
///
/// The target URL is assumed to be cross-origin to `origin`; redirects,
/// bodies and the preflight cache are not modelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserRequest {
    /// The page's origin, serialized (`"https://app.example"`), or `"null"` for
    /// an opaque origin (sandboxed iframe, `data:` URL, ...). Sent verbatim in
    /// `Origin` and compared byte for byte with `Access-Control-Allow-Origin`.
    pub origin: String,
    /// The method as the page wrote it (`"patch"`, `"get"`, `"PUT"`).
    pub method: String,
    /// The author request headers in order, as passed to `fetch()`; repeated
    /// names are separate entries, as `Headers.append` keeps them (Chromium
    /// joins them into one `a, b` value before its checks; keep names unique
    /// where that matters).
    ///
    /// Values are byte sequences in Fetch: lengths and byte classes are taken
    /// over the UTF-8 bytes of the `String`. A browser converts a JS string to
    /// a `ByteString` (one byte per code unit up to U+00FF), so non-ASCII
    /// text is measured differently there; generate ASCII values when the
    /// model must agree with a real browser.
    pub headers: Vec<(String, String)>,
    /// The credentials mode.
    pub credentials: CredentialsMode,
}

impl BrowserRequest {
    /// A request with no author headers and the default credentials mode
    /// (`"same-origin"`).
    pub fn new(origin: impl Into<String>, method: impl Into<String>) -> Self {
        BrowserRequest {
            origin: origin.into(),
            method: method.into(),
            headers: Vec::new(),
            credentials: CredentialsMode::default(),
        }
    }

    /// Appends an author request header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the credentials mode.
    pub fn credentials(mut self, mode: CredentialsMode) -> Self {
        self.credentials = mode;
        self
    }
}

/// Why `fetch()` throws a `TypeError` before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestError {
    /// The method is not a `token`.
    InvalidMethod {
        /// The method as written.
        method: String,
    },
    /// The method is a forbidden method (`CONNECT`, `TRACE`, `TRACK`).
    ForbiddenMethod {
        /// The method as written.
        method: String,
    },
    /// A header name is not a `token`.
    InvalidHeaderName {
        /// The name as written.
        name: String,
    },
    /// A header value (after stripping leading and trailing HTTP whitespace)
    /// contains NUL, CR or LF.
    InvalidHeaderValue {
        /// The header's name.
        name: String,
        /// The value as written.
        value: String,
    },
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::InvalidMethod { method } => {
                write!(f, "'{method}' is not a valid HTTP method")
            }
            RequestError::ForbiddenMethod { method } => {
                write!(f, "'{method}' HTTP method is unsupported")
            }
            RequestError::InvalidHeaderName { name } => {
                write!(f, "'{name}' is not a valid HTTP header name")
            }
            RequestError::InvalidHeaderValue { name, value } => {
                write!(f, "{value:?} is not a valid value for header '{name}'")
            }
        }
    }
}

impl std::error::Error for RequestError {}

/// The checks `new Request()` / `fetch()` make before sending anything: the
/// method must be a `token` and not forbidden; each header name must be a
/// `token` and each normalized value free of NUL, CR and LF.
///
/// Forbidden request-headers are not errors: `Headers` drops them silently
/// (see [`request_header_list`]).
pub fn validate_request(req: &BrowserRequest) -> Result<(), RequestError> {
    if !is_token(req.method.as_bytes()) {
        return Err(RequestError::InvalidMethod {
            method: req.method.clone(),
        });
    }
    if is_forbidden_method(&req.method) {
        return Err(RequestError::ForbiddenMethod {
            method: req.method.clone(),
        });
    }
    for (name, value) in &req.headers {
        if !is_valid_header(name, value) {
            if !is_token(name.as_bytes()) {
                return Err(RequestError::InvalidHeaderName { name: name.clone() });
            }
            return Err(RequestError::InvalidHeaderValue {
                name: name.clone(),
                value: value.clone(),
            });
        }
    }
    Ok(())
}

/// A header (name, normalized value) is valid when the name is a `token` and
/// the value contains no NUL or HTTP newline byte.
fn is_valid_header(name: &str, value: &str) -> bool {
    is_token(name.as_bytes())
        && !trim_http_whitespace(value)
            .bytes()
            .any(|b| matches!(b, 0 | b'\n' | b'\r'))
}

/// Fetch "forbidden method": `CONNECT`, `TRACE` or `TRACK`, byte-case-insensitive.
/// `fetch()` throws a `TypeError` for these.
pub fn is_forbidden_method(method: &str) -> bool {
    ["CONNECT", "TRACE", "TRACK"]
        .iter()
        .any(|m| method.eq_ignore_ascii_case(m))
}

/// Fetch "normalize a method": byte-upper-cases the method only if it is a
/// byte-case-insensitive match for `DELETE`, `GET`, `HEAD`, `OPTIONS`, `POST`
/// or `PUT`; every other method (notably `patch`) is returned unchanged.
pub fn normalize_method(method: &str) -> String {
    const NORMALIZED: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];
    match NORMALIZED.iter().find(|m| method.eq_ignore_ascii_case(m)) {
        Some(m) => (*m).to_owned(),
        None => method.to_owned(),
    }
}

/// Fetch "CORS-safelisted method": `GET`, `HEAD` or `POST`, compared exactly
/// (case-sensitively). Pass a normalized method ([`normalize_method`]).
pub fn is_cors_safelisted_method(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "POST")
}

/// Fetch "CORS-unsafe request-header byte": a control byte other than HT,
/// one of `"():<>?@[\]{}`, or DEL.
pub fn is_cors_unsafe_request_header_byte(b: u8) -> bool {
    (b < 0x20 && b != b'\t')
        || matches!(
            b,
            b'"' | b'('
                | b')'
                | b':'
                | b'<'
                | b'>'
                | b'?'
                | b'@'
                | b'['
                | b'\\'
                | b']'
                | b'{'
                | b'}'
                | 0x7F
        )
}

/// Fetch "CORS-safelisted request-header" for one header (name, value), the
/// value taken as it is in the header list (already normalized):
///
/// - any value longer than 128 bytes is not safelisted;
/// - `Accept`: no CORS-unsafe request-header byte;
/// - `Accept-Language`, `Content-Language`: only `0-9A-Za-z`, space and `*,-.;=`;
/// - `Content-Type`: no CORS-unsafe request-header byte, parses as a MIME
///   type, and its essence (type/subtype, lower-cased, parameters ignored) is
///   `application/x-www-form-urlencoded`, `multipart/form-data` or `text/plain`;
/// - `Range`: a single `bytes=start-` or `bytes=start-end` range (no suffix
///   range `bytes=-n`, no whitespace, no list, `start <= end`);
/// - any other name is not safelisted.
///
/// The 1,024-byte total rule applies to a whole header list; see
/// [`cors_unsafe_request_header_names`].
pub fn is_cors_safelisted_request_header(name: &str, value: &str) -> bool {
    let bytes = value.as_bytes();
    if bytes.len() > 128 {
        return false;
    }
    match name.to_ascii_lowercase().as_str() {
        "accept" => !bytes.iter().any(|&b| is_cors_unsafe_request_header_byte(b)),
        "accept-language" | "content-language" => bytes.iter().all(|&b| {
            b.is_ascii_alphanumeric() || matches!(b, b' ' | b'*' | b',' | b'-' | b'.' | b';' | b'=')
        }),
        "content-type" => {
            !bytes.iter().any(|&b| is_cors_unsafe_request_header_byte(b))
                && matches!(
                    mime_type_essence(value).as_deref(),
                    Some(
                        "application/x-www-form-urlencoded" | "multipart/form-data" | "text/plain"
                    )
                )
        }
        "range" => is_safelisted_range(bytes),
        _ => false,
    }
}

/// The essence (`type/subtype`, lower-cased) of a MIME type per the MIME
/// Sniffing standard's "parse a MIME type", or `None` if parsing fails.
///
/// Parameters never make that algorithm fail, so only the type and subtype
/// are checked: input trimmed of HTTP whitespace; type = everything before the
/// first `/`, a non-empty token; subtype = everything up to the first `;`,
/// trailing HTTP whitespace removed, a non-empty token.
fn mime_type_essence(input: &str) -> Option<String> {
    let input = trim_http_whitespace(input).as_bytes();
    let slash = input.iter().position(|&b| b == b'/')?;
    let (ty, rest) = (&input[..slash], &input[slash + 1..]);
    if !is_token(ty) {
        return None;
    }
    let end = rest.iter().position(|&b| b == b';').unwrap_or(rest.len());
    let mut subtype = &rest[..end];
    while let [head @ .., last] = subtype {
        if matches!(last, b'\t' | b'\n' | b'\r' | b' ') {
            subtype = head;
        } else {
            break;
        }
    }
    if !is_token(subtype) {
        return None;
    }
    let mut essence = String::from_utf8_lossy(ty).to_ascii_lowercase();
    essence.push('/');
    essence.push_str(&String::from_utf8_lossy(subtype).to_ascii_lowercase());
    Some(essence)
}

/// Fetch "parse a single range header value" with allowWhitespace false,
/// followed by the safelist's extra rule that the start must not be null:
/// `bytes=` (case-sensitive), digits, `-`, digits, nothing else; not both
/// numbers omitted; start not greater than end. Numbers are compared as digit
/// strings, so any length works.
fn is_safelisted_range(value: &[u8]) -> bool {
    let Some(rest) = value.strip_prefix(b"bytes=") else {
        return false;
    };
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let (start, rest) = rest.split_at(digits);
    let Some(end) = rest.strip_prefix(b"-") else {
        return false;
    };
    if !end.iter().all(u8::is_ascii_digit) {
        return false;
    }
    // Step 17 (both omitted) is covered by requiring a start; step 18:
    !start.is_empty() && (end.is_empty() || !decimal_greater(start, end))
}

/// Whether the decimal digit string `a` denotes a larger number than `b`.
fn decimal_greater(a: &[u8], b: &[u8]) -> bool {
    let strip = |s: &[u8]| -> Vec<u8> {
        let first = s.iter().position(|&d| d != b'0').unwrap_or(s.len());
        s[first..].to_vec()
    };
    let (a, b) = (strip(a), strip(b));
    (a.len(), a) > (b.len(), b)
}

/// Fetch "forbidden request-header": names the user agent keeps control of.
/// `Headers` (and so `fetch()`) silently drops these:
///
/// - `Accept-Charset`, `Accept-Encoding`, `Access-Control-Request-Headers`,
///   `Access-Control-Request-Method`, `Connection`, `Content-Length`,
///   `Cookie`, `Cookie2`, `Date`, `DNT`, `Expect`, `Host`, `Keep-Alive`,
///   `Origin`, `Referer`, `Set-Cookie`, `TE`, `Trailer`, `Transfer-Encoding`,
///   `Upgrade`, `Via`;
/// - any name starting with `proxy-` or `sec-`;
/// - `X-HTTP-Method`, `X-HTTP-Method-Override`, `X-Method-Override` when one
///   of the comma-separated values is a forbidden method.
pub fn is_forbidden_request_header(name: &str, value: &str) -> bool {
    const FORBIDDEN: [&str; 21] = [
        "accept-charset",
        "accept-encoding",
        "access-control-request-headers",
        "access-control-request-method",
        "connection",
        "content-length",
        "cookie",
        "cookie2",
        "date",
        "dnt",
        "expect",
        "host",
        "keep-alive",
        "origin",
        "referer",
        "set-cookie",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "via",
    ];
    let lower = name.to_ascii_lowercase();
    if FORBIDDEN.contains(&lower.as_str())
        || lower.starts_with("proxy-")
        || lower.starts_with("sec-")
    {
        return true;
    }
    if matches!(
        lower.as_str(),
        "x-http-method" | "x-http-method-override" | "x-method-override"
    ) {
        return get_decode_split(value.as_bytes())
            .iter()
            .any(|m| std::str::from_utf8(m).is_ok_and(is_forbidden_method));
    }
    false
}

/// Fetch "CORS non-wildcard request-header name": `Authorization`. A `*` in
/// `Access-Control-Allow-Headers` never covers it.
pub fn is_cors_non_wildcard_request_header_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("authorization")
}

/// The request's header list as Fetch holds it when deciding about CORS:
///
/// 1. each author header's value normalized (leading and trailing HTTP
///    whitespace removed);
/// 2. invalid headers (see [`validate_request`]) and forbidden
///    request-headers dropped, as `Headers` does (the former would make
///    `fetch()` throw);
/// 3. a repeated name takes the casing of its first occurrence
///    (header list "append");
/// 4. `Accept: */*` appended when the page set no `Accept` ("fetch" step).
///
/// The user agent's own headers (`User-Agent`, `Accept-Language`,
/// `Sec-Fetch-*`, cookies, ...) are not modelled.
pub fn request_header_list(req: &BrowserRequest) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = Vec::new();
    for (name, value) in &req.headers {
        let value = trim_http_whitespace(value);
        if !is_valid_header(name, value) || is_forbidden_request_header(name, value) {
            continue;
        }
        let name = list
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map_or_else(|| name.clone(), |(n, _)| n.clone());
        list.push((name, value.to_owned()));
    }
    if !list.iter().any(|(n, _)| n.eq_ignore_ascii_case("accept")) {
        list.push(("Accept".to_owned(), "*/*".to_owned()));
    }
    list
}

/// Fetch "CORS-unsafe request-header names" of a header list: the names of
/// headers that are not CORS-safelisted, plus the names of all safelisted ones
/// if their values total more than 1,024 bytes; byte-lower-cased, deduplicated
/// and sorted ("convert header names to a sorted-lowercase set").
///
/// Pass a header list such as [`request_header_list`] returns.
pub fn cors_unsafe_request_header_names(headers: &[(String, String)]) -> Vec<String> {
    let mut unsafe_names: Vec<&str> = Vec::new();
    let mut potentially_unsafe: Vec<&str> = Vec::new();
    let mut safelist_value_size = 0usize;
    for (name, value) in headers {
        if is_cors_safelisted_request_header(name, value) {
            potentially_unsafe.push(name);
            safelist_value_size += value.len();
        } else {
            unsafe_names.push(name);
        }
    }
    if safelist_value_size > 1024 {
        unsafe_names.extend(potentially_unsafe);
    }
    let mut out: Vec<String> = unsafe_names
        .iter()
        .map(|n| n.to_ascii_lowercase())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether `fetch()` sends a CORS-preflight before this request (ignoring the
/// preflight cache): the normalized method is not CORS-safelisted, or the
/// request's header list has any CORS-unsafe request-header name.
///
/// The use-CORS-preflight flag (upload listeners, streaming bodies) is not
/// modelled.
pub fn needs_preflight(req: &BrowserRequest) -> bool {
    !is_cors_safelisted_method(&normalize_method(&req.method))
        || !cors_unsafe_request_header_names(&request_header_list(req)).is_empty()
}

/// An HTTP request as the browser sends it (path and body left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireRequest {
    /// The method on the request line.
    pub method: String,
    /// The headers in the order the model emits them.
    pub headers: Vec<(String, String)>,
}

impl WireRequest {
    /// The value of the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The CORS-preflight request for `req` (Fetch "CORS-preflight fetch"):
/// method `OPTIONS`, then `Accept: */*`, `Access-Control-Request-Method` (the
/// normalized method, so `patch` stays `patch`), `Access-Control-Request-Headers`
/// (the CORS-unsafe request-header names joined by `,` without spaces; omitted
/// when there are none) and `Origin`. A preflight never carries credentials
/// or author headers.
pub fn preflight_request(req: &BrowserRequest) -> WireRequest {
    let mut headers = vec![
        ("Accept".to_owned(), "*/*".to_owned()),
        (
            "Access-Control-Request-Method".to_owned(),
            normalize_method(&req.method),
        ),
    ];
    let unsafe_names = cors_unsafe_request_header_names(&request_header_list(req));
    if !unsafe_names.is_empty() {
        headers.push((
            "Access-Control-Request-Headers".to_owned(),
            unsafe_names.join(","),
        ));
    }
    headers.push(("Origin".to_owned(), req.origin.clone()));
    WireRequest {
        method: "OPTIONS".to_owned(),
        headers,
    }
}

/// The actual (non-preflight) request: the normalized method, the request's
/// header list ([`request_header_list`]) and `Origin`.
pub fn actual_request(req: &BrowserRequest) -> WireRequest {
    let mut headers = request_header_list(req);
    headers.push(("Origin".to_owned(), req.origin.clone()));
    WireRequest {
        method: normalize_method(&req.method),
        headers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "http://localhost:8000";

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    fn list(headers: &[(&str, &str)]) -> Vec<(String, String)> {
        headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    // ---- methods ----

    /// Fetch "forbidden method": CONNECT, TRACE, TRACK, byte-case-insensitive
    /// (Fetch: TRACE is a forbidden method; fetch throws, it does not preflight).
    #[test]
    fn forbidden_methods() {
        for m in [
            "CONNECT", "connect", "TRACE", "trace", "TrAcE", "TRACK", "track",
        ] {
            assert!(is_forbidden_method(m), "{m}");
        }
        for m in ["GET", "PATCH", "TRACES", "OPTIONS", "PROPFIND"] {
            assert!(!is_forbidden_method(m), "{m}");
        }
        let err = validate_request(&BrowserRequest::new(PAGE, "trace")).unwrap_err();
        assert_eq!(
            err,
            RequestError::ForbiddenMethod {
                method: "trace".into()
            }
        );
    }

    /// Fetch "normalize a method": only DELETE GET HEAD OPTIONS POST PUT are
    /// upper-cased (Chromium facts: `patch` is sent as `patch`).
    #[test]
    fn method_normalization() {
        assert_eq!(normalize_method("get"), "GET");
        assert_eq!(normalize_method("Delete"), "DELETE");
        assert_eq!(normalize_method("options"), "OPTIONS");
        assert_eq!(normalize_method("post"), "POST");
        assert_eq!(normalize_method("put"), "PUT");
        assert_eq!(normalize_method("head"), "HEAD");
        assert_eq!(normalize_method("patch"), "patch");
        assert_eq!(normalize_method("Patch"), "Patch");
        assert_eq!(normalize_method("PATCH"), "PATCH");
        assert_eq!(normalize_method("propfind"), "propfind");
    }

    /// Fetch "CORS-safelisted method": GET, HEAD, POST, exact bytes.
    #[test]
    fn safelisted_methods() {
        assert!(is_cors_safelisted_method("GET"));
        assert!(is_cors_safelisted_method("HEAD"));
        assert!(is_cors_safelisted_method("POST"));
        assert!(!is_cors_safelisted_method("get"));
        assert!(!is_cors_safelisted_method("PUT"));
        assert!(!is_cors_safelisted_method("OPTIONS"));
        assert!(!is_cors_safelisted_method("PATCH"));
    }

    /// `new Request()`: method must be a token; header names tokens; values
    /// without NUL/CR/LF after normalization.
    #[test]
    fn request_validation() {
        assert!(validate_request(&BrowserRequest::new(PAGE, "PATCH")).is_ok());
        assert!(matches!(
            validate_request(&BrowserRequest::new(PAGE, "GE T")),
            Err(RequestError::InvalidMethod { .. })
        ));
        assert!(matches!(
            validate_request(&BrowserRequest::new(PAGE, "GET").header("X Foo", "1")),
            Err(RequestError::InvalidHeaderName { .. })
        ));
        assert!(matches!(
            validate_request(&BrowserRequest::new(PAGE, "GET").header("X-Foo", "a\nb")),
            Err(RequestError::InvalidHeaderValue { .. })
        ));
        // Leading/trailing newlines are stripped by normalization, so valid.
        assert!(
            validate_request(&BrowserRequest::new(PAGE, "GET").header("X-Foo", "\r\nab\n")).is_ok()
        );
        // Forbidden request-headers are dropped, not rejected.
        assert!(
            validate_request(&BrowserRequest::new(PAGE, "GET").header("Cookie", "a=b")).is_ok()
        );
    }

    // ---- CORS-safelisted request-header ----

    /// CORS-safelisted request-header, `Content-Type`: essence must be one of
    /// the three form types; parameters allowed; type/subtype case-insensitive.
    #[test]
    fn content_type_values() {
        for v in [
            "text/plain",
            "TEXT/PLAIN",
            "Text/Plain",
            "text/plain;charset=utf-8",
            "text/plain; charset=UTF-8",
            "text/plain ; charset=utf-8",
            "text/plain;",
            "text/plain;;;x",
            "text/plain;charset",
            " text/plain ",
            "application/x-www-form-urlencoded",
            "Application/X-WWW-Form-Urlencoded;charset=utf-8",
            "multipart/form-data",
            "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
            "text/plain;\tcharset=utf-8",
        ] {
            assert!(
                is_cors_safelisted_request_header("Content-Type", v),
                "{v:?}"
            );
            assert!(
                is_cors_safelisted_request_header("content-type", v),
                "{v:?}"
            );
        }
        for v in [
            "application/json",
            "text/html",
            "text/plain+json",
            "text/plainx",
            "text /plain",
            "text/ plain",
            "text/plain,text/html",
            "text/plain, text/plain",
            "text",
            "text/",
            "/plain",
            "",
            "multipart/form-data-x",
            "text\\/plain",
        ] {
            assert!(
                !is_cors_safelisted_request_header("Content-Type", v),
                "{v:?}"
            );
        }
    }

    /// `Content-Type`: any CORS-unsafe request-header byte disqualifies, even
    /// inside parameters (a quoted charset therefore triggers a preflight).
    #[test]
    fn content_type_unsafe_bytes() {
        for v in [
            "text/plain; charset=\"utf-8\"",
            "text/plain; a=(b)",
            "text/plain; a=b:c",
            "text/plain; a=<b>",
            "text/plain; a=?",
            "text/plain; a=@",
            "text/plain; a=[b]",
            "text/plain; a={b}",
            "text/plain; a=\\",
            "text/plain\x7f",
            "text/plain\x01",
        ] {
            assert!(
                !is_cors_safelisted_request_header("Content-Type", v),
                "{v:?}"
            );
        }
        // HT is allowed.
        assert!(is_cors_safelisted_request_header(
            "Content-Type",
            "text/plain;\ta=b"
        ));
    }

    /// CORS-safelisted request-header step 1: a value longer than 128 bytes is
    /// never safelisted, whatever the name.
    #[test]
    fn value_length_limit() {
        let accept_128 = "a".repeat(128);
        let accept_129 = "a".repeat(129);
        assert!(is_cors_safelisted_request_header("Accept", &accept_128));
        assert!(!is_cors_safelisted_request_header("Accept", &accept_129));

        let prefix = "text/plain;p=";
        let ct_128 = format!("{prefix}{}", "x".repeat(128 - prefix.len()));
        let ct_129 = format!("{prefix}{}", "x".repeat(129 - prefix.len()));
        assert_eq!(ct_128.len(), 128);
        assert!(is_cors_safelisted_request_header("Content-Type", &ct_128));
        assert!(!is_cors_safelisted_request_header("Content-Type", &ct_129));

        let lang_128 = "en".repeat(64);
        assert!(is_cors_safelisted_request_header(
            "Accept-Language",
            &lang_128
        ));
        assert!(!is_cors_safelisted_request_header(
            "Accept-Language",
            &format!("{lang_128}x")
        ));

        // The limit counts bytes: 64 two-byte characters are 128 bytes.
        let multibyte = "é".repeat(64);
        assert_eq!(multibyte.len(), 128);
        assert!(is_cors_safelisted_request_header("Accept", &multibyte));
        assert!(!is_cors_safelisted_request_header(
            "Accept",
            &format!("{multibyte}a")
        ));
    }

    /// `Accept`: any value without a CORS-unsafe request-header byte.
    #[test]
    fn accept_values() {
        assert!(is_cors_safelisted_request_header(
            "Accept",
            "application/json"
        ));
        assert!(is_cors_safelisted_request_header("ACCEPT", "*/*"));
        assert!(is_cors_safelisted_request_header(
            "Accept",
            "text/html, application/xhtml+xml;q=0.9"
        ));
        assert!(is_cors_safelisted_request_header("Accept", ""));
        assert!(!is_cors_safelisted_request_header("Accept", "a@b"));
        assert!(!is_cors_safelisted_request_header(
            "Accept",
            "text/html; a=\"b\""
        ));
        assert!(!is_cors_safelisted_request_header("Accept", "{}"));
    }

    /// `Accept-Language`, `Content-Language`: only 0-9 A-Z a-z SP * , - . ; =.
    #[test]
    fn language_values() {
        for name in ["Accept-Language", "content-language"] {
            assert!(is_cors_safelisted_request_header(name, "en-US,en;q=0.9"));
            assert!(is_cors_safelisted_request_header(name, "*"));
            assert!(is_cors_safelisted_request_header(name, "de DE"));
            assert!(!is_cors_safelisted_request_header(name, "en_US"));
            assert!(!is_cors_safelisted_request_header(name, "en/US"));
            assert!(!is_cors_safelisted_request_header(name, "en\tUS"));
            assert!(!is_cors_safelisted_request_header(name, "fr\""));
            assert!(!is_cors_safelisted_request_header(name, "é"));
        }
    }

    /// `Range`: "parse a single range header value" without whitespace, and
    /// the start must be present (suffix ranges are not safelisted).
    #[test]
    fn range_values() {
        for v in [
            "bytes=0-499",
            "bytes=0-0",
            "bytes=500-",
            "bytes=007-7",
            "bytes=1-99999999999999999999999",
        ] {
            assert!(is_cors_safelisted_request_header("Range", v), "{v:?}");
        }
        for v in [
            "bytes=-500",
            "bytes=5-1",
            "bytes=99999999999999999999999-1",
            "bytes=10-9",
            "Bytes=0-1",
            "BYTES=0-1",
            "bytes =0-1",
            "bytes= 0-1",
            "bytes=0 -1",
            "bytes=0-1 ",
            "bytes=0-1,2-3",
            "bytes=",
            "bytes=-",
            "bytes=0",
            "bytes=a-b",
            "items=0-1",
            "bytes=0--1",
            "bytes=+1-2",
        ] {
            assert!(!is_cors_safelisted_request_header("range", v), "{v:?}");
        }
    }

    /// CORS-safelisted request-header "Otherwise: return false": every other
    /// name, including `Authorization` and the tutorial's `X-Requested-With`.
    #[test]
    fn other_names_not_safelisted() {
        for n in [
            "X-Requested-With",
            "Authorization",
            "Cache-Control",
            "If-None-Match",
            "DPR",
            "Save-Data",
        ] {
            assert!(!is_cors_safelisted_request_header(n, "1"), "{n}");
        }
    }

    // ---- forbidden request-headers ----

    /// Fetch "forbidden request-header": fixed names, `proxy-`/`sec-`
    /// prefixes, and method-override headers carrying a forbidden method.
    #[test]
    fn forbidden_request_headers() {
        for n in [
            "Cookie",
            "origin",
            "HOST",
            "Content-Length",
            "Access-Control-Request-Headers",
            "DNT",
            "Set-Cookie",
            "TE",
        ] {
            assert!(is_forbidden_request_header(n, "x"), "{n}");
        }
        assert!(is_forbidden_request_header("Sec-Fetch-Mode", "cors"));
        assert!(is_forbidden_request_header("proxy-authorization", "x"));
        assert!(!is_forbidden_request_header("Authorization", "x"));
        assert!(!is_forbidden_request_header("X-Custom", "x"));
        assert!(!is_forbidden_request_header("Secret", "x"));

        assert!(is_forbidden_request_header(
            "X-HTTP-Method-Override",
            "TRACE"
        ));
        assert!(is_forbidden_request_header("x-http-method", "GET, connect"));
        assert!(is_forbidden_request_header("X-Method-Override", " track "));
        assert!(!is_forbidden_request_header(
            "X-HTTP-Method-Override",
            "PATCH"
        ));
        // A quoted value keeps its quotes after "get, decode, and split".
        assert!(!is_forbidden_request_header(
            "X-HTTP-Method-Override",
            "\"TRACE\""
        ));
        assert!(!is_forbidden_request_header(
            "X-HTTP-Method-Override",
            "\"GET,TRACE\""
        ));
    }

    /// `Headers` normalizes values and silently drops forbidden
    /// request-headers; `fetch()` adds `Accept: */*` when absent.
    #[test]
    fn header_list_construction() {
        let req = BrowserRequest::new(PAGE, "GET")
            .header("X-A", "  1\t")
            .header("Cookie", "a=b")
            .header("x-a", "2")
            .header("Sec-Foo", "1");
        assert_eq!(
            request_header_list(&req),
            list(&[("X-A", "1"), ("X-A", "2"), ("Accept", "*/*")])
        );
        let req = BrowserRequest::new(PAGE, "GET").header("accept", "application/json");
        assert_eq!(
            request_header_list(&req),
            list(&[("accept", "application/json")])
        );
    }

    // ---- CORS-unsafe request-header names ----

    /// "CORS-unsafe request-header names" + "convert header names to a
    /// sorted-lowercase set": lower-cased, deduplicated, byte-sorted.
    #[test]
    fn unsafe_names_sorted_lowercase_set() {
        let headers = list(&[
            ("X-B", "1"),
            ("x-a", "1"),
            ("X-A", "2"),
            ("Content-Type", "application/json"),
            ("Accept", "*/*"),
            ("Authorization", "Bearer t"),
        ]);
        assert_eq!(
            cors_unsafe_request_header_names(&headers),
            names(&["authorization", "content-type", "x-a", "x-b"])
        );
        assert!(cors_unsafe_request_header_names(&list(&[("Accept", "*/*")])).is_empty());
    }

    /// "CORS-unsafe request-header names" step 5: safelisted values totalling
    /// more than 1,024 bytes make every safelisted name unsafe.
    #[test]
    fn safelist_total_size() {
        let v = "a".repeat(128);
        // 8 × 128 = 1024: not more than 1024, still safe.
        let at_limit: Vec<(String, String)> = (0..8)
            .map(|_| ("Accept-Language".to_owned(), v.clone()))
            .collect();
        assert!(cors_unsafe_request_header_names(&at_limit).is_empty());
        // One more byte tips every safelisted name over.
        let mut over = at_limit.clone();
        over.push(("Content-Language".to_owned(), "a".to_owned()));
        over.push(("X-Other".to_owned(), "1".to_owned()));
        assert_eq!(
            cors_unsafe_request_header_names(&over),
            names(&["accept-language", "content-language", "x-other"])
        );
        // Unsafe headers' values do not count towards the total.
        let mut unsafe_big = at_limit;
        unsafe_big.push(("X-Big".to_owned(), "b".repeat(5000)));
        assert_eq!(
            cors_unsafe_request_header_names(&unsafe_big),
            names(&["x-big"])
        );
    }

    /// The default `Accept: */*` counts towards the 1,024 bytes, so it shows
    /// up in `Access-Control-Request-Headers` once the total is exceeded.
    #[test]
    fn default_accept_counts_towards_total() {
        let v = "a".repeat(128);
        let mut req = BrowserRequest::new(PAGE, "GET");
        for _ in 0..7 {
            req = req.header("Accept-Language", v.clone());
        }
        // 7 × 128 + 126 + 3 (`*/*`) = 1025.
        req = req.header("Content-Language", "a".repeat(126));
        assert!(needs_preflight(&req));
        assert_eq!(
            preflight_request(&req).header("Access-Control-Request-Headers"),
            Some("accept,accept-language,content-language")
        );
        // One byte less: 1024 in total, no preflight.
        req.headers.pop();
        req = req.header("Content-Language", "a".repeat(125));
        assert!(!needs_preflight(&req));
    }

    // ---- needs_preflight / wire requests ----

    /// Main fetch: a preflight happens iff the method is not safelisted or
    /// there is a CORS-unsafe request-header name (Fetch: CORS-unsafe request-header names).
    #[test]
    fn preflight_decision() {
        let r = |m: &str| BrowserRequest::new(PAGE, m);
        assert!(!needs_preflight(&r("GET")));
        assert!(!needs_preflight(&r("get")), "normalized to GET");
        assert!(!needs_preflight(&r("head")));
        assert!(!needs_preflight(
            &r("POST").header("Content-Type", "text/plain;charset=UTF-8")
        ));
        assert!(needs_preflight(
            &r("POST").header("Content-Type", "application/json")
        ));
        assert!(needs_preflight(&r("PUT")));
        assert!(needs_preflight(&r("DELETE")));
        assert!(needs_preflight(&r("patch")));
        assert!(needs_preflight(&r("OPTIONS")));
        assert!(needs_preflight(
            &r("GET").header("X-Requested-With", "XMLHttpRequest")
        ));
        assert!(needs_preflight(
            &r("GET").header("Authorization", "Bearer x")
        ));
        assert!(needs_preflight(&r("GET").header("Range", "bytes=-500")));
        assert!(!needs_preflight(&r("GET").header("Range", "bytes=0-500")));
        assert!(needs_preflight(&r("GET").header("Accept", "a".repeat(129))));
        // Forbidden headers are dropped before the decision.
        assert!(!needs_preflight(
            &r("GET")
                .header("Cookie", "a=b")
                .header("Sec-Fetch-Mode", "x")
        ));
        // Whitespace around a value is removed before the safelist check.
        assert!(!needs_preflight(
            &r("POST").header("Content-Type", "  text/plain  ")
        ));
    }

    /// CORS-preflight fetch steps 1-5 (Fetch: the header list is lower-cased, sorted and joined by `,`): OPTIONS, `Accept:
    /// */*`, ACRM with the normalized method, ACRH lower-cased, sorted, joined
    /// by "," without spaces, omitted when empty; Origin; no author headers.
    #[test]
    fn preflight_request_shape() {
        let req = BrowserRequest::new(PAGE, "patch")
            .header("X-Zeta", "1")
            .header("Content-Type", "application/json")
            .header("x-alpha", "2")
            .header("X-ZETA", "3")
            .header("Authorization", "Bearer secret")
            .credentials(CredentialsMode::Include);
        let p = preflight_request(&req);
        assert_eq!(p.method, "OPTIONS");
        assert_eq!(
            p.headers,
            list(&[
                ("Accept", "*/*"),
                ("Access-Control-Request-Method", "patch"),
                (
                    "Access-Control-Request-Headers",
                    "authorization,content-type,x-alpha,x-zeta"
                ),
                ("Origin", PAGE),
            ])
        );
        assert_eq!(
            p.header("authorization"),
            None,
            "a preflight never carries credentials"
        );

        let p = preflight_request(&BrowserRequest::new("null", "put"));
        assert_eq!(
            p.headers,
            list(&[
                ("Accept", "*/*"),
                ("Access-Control-Request-Method", "PUT"),
                ("Origin", "null")
            ])
        );
    }

    /// The actual request carries the normalized method, the header list and
    /// `Origin`.
    #[test]
    fn actual_request_shape() {
        let req = BrowserRequest::new(PAGE, "delete")
            .header("X-Token", " t ")
            .header("Origin", "https://evil.example");
        let a = actual_request(&req);
        assert_eq!(a.method, "DELETE");
        assert_eq!(
            a.headers,
            list(&[("X-Token", "t"), ("Accept", "*/*"), ("Origin", PAGE)])
        );
    }
}
