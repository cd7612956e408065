//! Same-origin detection for requests that carry an `Origin`.
//!
//! Browsers send `Origin` on same-origin POSTs too. Such a request is not a
//! CORS request: it gets no grant and is never blocked. "Same origin" is
//! judged against the scheme, host and port actix's `ConnectionInfo` reports
//! for the request (which honours `Forwarded` / `X-Forwarded-*`).

use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::HttpRequest;
use cors_actix_core::origin::default_port;
use cors_actix_core::RequestOrigin;

const X_FORWARDED_HOST: HeaderName = HeaderName::from_static("x-forwarded-host");

pub(crate) fn is_same_origin(req: &HttpRequest, origin: &HeaderValue) -> bool {
    // Two `Origin` headers make a disallowed origin, never a same-origin
    // request: which of them would be the request's origin?
    if req.headers().get_all(header::ORIGIN).nth(1).is_some() {
        return false;
    }
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let headers = req.headers();
    // Building `ConnectionInfo` allocates. When the host it would report is
    // plainly the `Host` header, or without one (HTTP/2) the request target's
    // authority, and that names another host than the origin's, the answer
    // is already known: cross-origin, the common case. The origin's host is
    // cut out without parsing the whole origin, which costs more than the
    // rest of this check; a malformed origin is never same-origin anyway.
    if !headers.contains_key(header::FORWARDED) && !headers.contains_key(X_FORWARDED_HOST) {
        let host = match headers.get(header::HOST) {
            Some(host) => host.to_str().ok(),
            None => req.uri().authority().map(|authority| authority.as_str()),
        };
        if let Some(host) = host {
            let origin_host = origin
                .split_once("://")
                .map_or("", |(_, authority)| split_authority(authority).0);
            if !split_authority(host).0.eq_ignore_ascii_case(origin_host) {
                return false;
            }
        }
    }
    let Some(origin) = RequestOrigin::parse(origin) else {
        return false;
    };
    let info = req.connection_info();
    if !info.scheme().eq_ignore_ascii_case(origin.scheme) {
        return false;
    }
    let (host, port) = split_authority(info.host());
    if !host.eq_ignore_ascii_case(origin.host) {
        return false;
    }
    let default = default_port(origin.scheme);
    let port = match port.map(str::parse::<u16>) {
        None => default,
        Some(Ok(port)) => Some(port),
        Some(Err(_)) => return false,
    };
    port == origin.port.or(default)
}

/// Splits `host[:port]`, keeping IPv6 brackets with the host.
fn split_authority(authority: &str) -> (&str, Option<&str>) {
    if authority.starts_with('[') {
        if let Some(close) = authority.find(']') {
            let (host, rest) = authority.split_at(close + 1);
            return (host, rest.strip_prefix(':'));
        }
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn same(origin: &str, req: TestRequest) -> bool {
        let req = req.to_srv_request();
        is_same_origin(req.request(), &HeaderValue::from_str(origin).unwrap())
    }

    #[test]
    fn compares_scheme_host_and_port() {
        let host = |h: &str| TestRequest::default().insert_header((header::HOST, h.to_owned()));
        assert!(same("http://api.test:8000", host("api.test:8000")));
        assert!(same("http://api.test", host("api.test")));
        assert!(same("http://api.test", host("api.test:80")));
        assert!(!same("http://api.test:9000", host("api.test:8000")));
        assert!(!same("http://app.test:8000", host("api.test:8000")));
        assert!(!same("https://api.test:8000", host("api.test:8000")));
        assert!(same("http://[::1]:8000", host("[::1]:8000")));
    }

    #[test]
    fn without_host_uses_the_request_target_like_connection_info() {
        // HTTP/2: the authority is in the URI and there is no `Host` header.
        let target = |uri: &str| TestRequest::default().uri(uri);
        assert!(same("https://api.test", target("https://api.test/x")));
        assert!(same(
            "http://api.test:8000",
            target("http://api.test:8000/x")
        ));
        assert!(!same("https://app.test", target("https://api.test/x")));
        assert!(!same("https://api.test:8443", target("https://api.test/x")));
    }

    #[test]
    fn honours_forwarded_headers_like_connection_info() {
        let req = TestRequest::default()
            .insert_header((header::HOST, "internal:8080"))
            .insert_header((X_FORWARDED_HOST, "api.example.com"))
            .insert_header((HeaderName::from_static("x-forwarded-proto"), "https"));
        assert!(same("https://api.example.com", req));
    }
}
