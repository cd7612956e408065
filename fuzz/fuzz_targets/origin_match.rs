//! Request-origin parsing and pattern matching on arbitrary strings.
//!
//! Input: `pattern \n origin` (bytes; non-UTF-8 inputs are skipped, as the
//! middleware only matches origins that are valid UTF-8). Beyond "no panic",
//! it checks the invariants the crate's security rests on:
//! - a parsed request origin is canonical: re-serialising its parts gives
//!   back the input exactly;
//! - a parsed pattern survives `Display` and parsing again unchanged;
//! - the engine's verdict (a policy of this one pattern, explaining a GET
//!   from the origin) is explained part by part: `null` only by `null` or
//!   `*`, an exact pattern only by the identical string, a wildcard only by
//!   a canonical origin with the same scheme, a host equal to or under the
//!   pattern's domain (with a dot in between), and a matching port; and a
//!   canonical origin that this explanation accepts is allowed.
#![no_main]

use actix_web::http::header::HeaderValue;
use cors_actix::Cors;
use cors_actix_core::{HostPattern, OriginPattern, PatternKind, PortPattern, RequestOrigin};
use libfuzzer_sys::fuzz_target;

/// Whether `pattern` allows `origin`, decided from the pattern's parts and
/// the origin's: the reference the engine is checked against.
fn explained(pattern: &OriginPattern, origin: &str, parsed: Option<&RequestOrigin<'_>>) -> bool {
    match pattern.kind() {
        PatternKind::Any => true,
        PatternKind::Null => origin == "null",
        PatternKind::Exact(exact) => exact == origin,
        PatternKind::Wildcard { scheme, host, port } => {
            let Some(o) = parsed else {
                return false;
            };
            let host_ok = match host {
                HostPattern::Any => true,
                HostPattern::Exact(h) => h == o.host(),
                HostPattern::SubdomainsOf(domain) => o
                    .host()
                    .len()
                    .checked_sub(domain.len() + 1)
                    .is_some_and(|i| {
                        i > 0 && o.host().as_bytes()[i] == b'.' && &o.host()[i + 1..] == domain
                    }),
            };
            let port_ok = match port {
                PortPattern::Any => true,
                PortPattern::Default => o.port().is_none(),
                PortPattern::Exact(p) => o.port() == Some(p),
            };
            scheme == o.scheme() && host_ok && port_ok
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let parts = cors_actix_fuzz::split(data, b'\n', 2);
    let (Ok(pattern_src), Ok(origin)) = (
        std::str::from_utf8(parts[0]),
        std::str::from_utf8(parts.get(1).copied().unwrap_or_default()),
    ) else {
        return;
    };

    let parsed = RequestOrigin::parse(origin);
    if let Some(o) = parsed {
        let port = o.port().map(|p| format!(":{p}")).unwrap_or_default();
        assert_eq!(format!("{}://{}{}", o.scheme(), o.host(), port), origin);
    }
    // Parsing the pattern text as a request origin must not panic either.
    let _ = RequestOrigin::parse(pattern_src);

    let Ok(pattern) = OriginPattern::parse(pattern_src) else {
        return;
    };
    let shown = pattern.to_string();
    assert_eq!(
        OriginPattern::parse(&shown).as_ref(),
        Ok(&pattern),
        "{pattern_src:?} shown as {shown:?}"
    );

    // The engine, through its public API.
    let Ok(value) = HeaderValue::from_str(origin) else {
        return;
    };
    let Ok(cors) = Cors::builder().allow_origin(pattern_src).build() else {
        return;
    };
    let req = actix_web::test::TestRequest::get()
        .insert_header(("Origin", value))
        .to_srv_request();
    let allowed = cors.explain(req.head()).allowed;
    assert_eq!(
        allowed,
        explained(&pattern, origin, parsed.as_ref()),
        "{pattern_src:?} {origin:?}"
    );
});
