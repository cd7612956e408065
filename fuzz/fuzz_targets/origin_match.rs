//! Request-origin parsing and pattern matching on arbitrary strings.
//!
//! Input: `pattern \n origin` (bytes; non-UTF-8 inputs are skipped, as the
//! middleware only matches origins that are valid UTF-8). Beyond "no panic",
//! it checks the invariants the crate's security rests on:
//! - a parsed request origin is canonical: re-serialising its parts gives
//!   back the input exactly;
//! - a parsed pattern survives `Display` and parsing again unchanged;
//! - a match is explained part by part: `null` only by `null` or `*`, an
//!   exact pattern only by the identical string, a wildcard only by a
//!   canonical origin with the same scheme, a host equal to or under the
//!   pattern's domain (with a dot in between), and a matching port;
//! - `matches` and `matches_parsed` agree.
#![no_main]

use cors_actix_core::{HostPattern, OriginPattern, PortPattern, RequestOrigin};
use libfuzzer_sys::fuzz_target;

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
        let port = o.port.map(|p| format!(":{p}")).unwrap_or_default();
        assert_eq!(format!("{}://{}{}", o.scheme, o.host, port), origin);
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

    let matched = pattern.matches(origin);
    if let Some(o) = &parsed {
        assert_eq!(
            pattern.matches_parsed(o),
            matched,
            "{pattern_src:?} {origin:?}"
        );
    }
    if !matched {
        return;
    }
    match &pattern {
        OriginPattern::Any => {}
        OriginPattern::Null => assert_eq!(origin, "null"),
        OriginPattern::Exact(exact) => assert_eq!(exact, origin),
        OriginPattern::Wildcard { scheme, host, port } => {
            let o = parsed.expect("a wildcard matched a non-canonical origin");
            assert_eq!(*scheme, o.scheme);
            match host {
                HostPattern::Any => {}
                HostPattern::Exact(h) => assert_eq!(h, o.host),
                HostPattern::SubdomainsOf(domain) => {
                    let label_end = o.host.len().checked_sub(domain.len() + 1);
                    assert!(
                        label_end.is_some_and(|i| i > 0
                            && o.host.as_bytes()[i] == b'.'
                            && &o.host[i + 1..] == domain.as_str()),
                        "{origin:?} is not under {domain:?}"
                    );
                }
            }
            match port {
                PortPattern::Any => {}
                PortPattern::Default => assert_eq!(o.port, None),
                PortPattern::Exact(p) => assert_eq!(o.port, Some(*p)),
            }
        }
    }
});
