//! Same-origin detection for requests that carry an `Origin`.
//!
//! Browsers send `Origin` on same-origin POSTs too. Such a request is not a
//! CORS request and is never blocked (`block_disallowed`). "Same origin" is
//! judged against the request itself: its scheme (the request target's, else
//! whether the server is configured for TLS), and the host and port of its
//! `Host` header (without one, as in HTTP/2, the request target's
//! authority). `Forwarded` and `X-Forwarded-*` are not consulted unless the
//! policy opts in (`trust_forwarded_headers`): any client can send them, and
//! an answer that depends on them must name them in `Vary`, which the policy
//! then does.

use actix_web::http::header;
use actix_web::HttpRequest;
use cors_actix_core::RequestOrigin;
use cors_actix_core::{default_port, split_authority};

use crate::policy::Origin;

pub(crate) fn is_same_origin(req: &HttpRequest, origin: Origin<'_>, trust_forwarded: bool) -> bool {
    if !origin.is_single() {
        return false;
    }
    let Some(origin) = origin.to_str().ok().and_then(RequestOrigin::parse) else {
        return false;
    };
    if trust_forwarded {
        // Opted in: the scheme and host a proxy reports, read by actix.
        let info = req.connection_info();
        return info.scheme().eq_ignore_ascii_case(origin.scheme())
            && same_authority(info.host(), &origin);
    }
    let scheme = match req.uri().scheme_str() {
        Some(scheme) => scheme,
        None if req.app_config().secure() => "https",
        None => "http",
    };
    if !scheme.eq_ignore_ascii_case(origin.scheme()) {
        return false;
    }
    let authority = match req.headers().get(header::HOST) {
        Some(host) => host.to_str().ok(),
        None => req.uri().authority().map(|authority| authority.as_str()),
    };
    authority.is_some_and(|authority| same_authority(authority, &origin))
}

/// Whether `authority` (`host[:port]`) names the origin's host and port.
fn same_authority(authority: &str, origin: &RequestOrigin<'_>) -> bool {
    let Some((host, port)) = split_authority(authority) else {
        return false;
    };
    let default = default_port(origin.scheme());
    host.eq_ignore_ascii_case(origin.host()) && port.or(default) == origin.port().or(default)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::RequestKind;
    use actix_web::http::header::HeaderName;
    use actix_web::test::TestRequest;

    fn same(origin: &str, req: TestRequest) -> bool {
        let req = req.insert_header((header::ORIGIN, origin)).to_srv_request();
        match RequestKind::of(req.head()) {
            RequestKind::Actual { origin } => is_same_origin(req.request(), origin, false),
            _ => unreachable!("a GET with an Origin"),
        }
    }

    fn host(h: &str) -> TestRequest {
        TestRequest::default().insert_header((header::HOST, h.to_owned()))
    }

    #[test]
    fn compares_scheme_host_and_port() {
        assert!(same("http://api.test:8000", host("api.test:8000")));
        assert!(same("http://api.test", host("api.test")));
        assert!(same("http://api.test", host("api.test:80")));
        assert!(same("http://api.test", host("API.Test:80")));
        assert!(!same("http://api.test:9000", host("api.test:8000")));
        assert!(!same("http://app.test:8000", host("api.test:8000")));
        assert!(!same("https://api.test:8000", host("api.test:8000")));
        assert!(same("http://[::1]:8000", host("[::1]:8000")));
        assert!(!same("http://[::1]:8000", host("[::2]:8000")));
    }

    #[test]
    fn malformed_hosts_and_origins_are_never_the_same() {
        assert!(!same("http://api.test", host("api.test:80x")));
        assert!(!same("http://api.test", host("")));
        assert!(!same("http://api.test/", host("api.test")));
        assert!(!same("null", host("api.test")));
    }

    #[test]
    fn without_host_uses_the_request_target() {
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
    fn forwarded_headers_are_not_trusted() {
        let req = host("internal:8080")
            .insert_header((
                HeaderName::from_static("x-forwarded-host"),
                "api.example.com",
            ))
            .insert_header((HeaderName::from_static("x-forwarded-proto"), "https"))
            .insert_header((header::FORWARDED, "host=api.example.com;proto=https"));
        assert!(!same("https://api.example.com", req));
        let req = host("internal:8080")
            .insert_header((HeaderName::from_static("x-forwarded-host"), "evil.example"));
        assert!(same("http://internal:8080", req));
    }
}
