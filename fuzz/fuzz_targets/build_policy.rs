//! Policy compilation from arbitrary configuration strings.
//!
//! Input: a selector byte, then up to four `\n`-separated strings handed to
//! the builder as origins, an origin regex, methods and header names.
//! `build()` must return `Ok` or `Err`, never panic (nor blow up on a
//! pathological regex: the crate sets a compile size limit), and must agree
//! with the rules it is made of:
//! - a single origin `build()` accepts is one `OriginPattern::parse` accepts,
//!   and the other way round;
//! - a pattern that lets in every host never builds with credentials.
#![no_main]

use cors_actix::Cors;
use cors_actix_core::OriginPattern;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let fields: Vec<&str> = text.splitn(4, '\n').collect();
    let field = |i: usize| fields.get(i).copied().unwrap_or("");
    let credentials = selector & 1 != 0;

    // One origin alone: the builder and the core parser agree.
    let origin = field(0);
    let single = Cors::builder()
        .allow_origin(origin)
        .allow_credentials(credentials)
        .build();
    match OriginPattern::parse(origin) {
        Ok(pattern) => {
            let every_host = pattern.matches_every_host();
            assert_eq!(
                single.is_ok(),
                !(every_host && credentials),
                "{origin:?} credentials={credentials}: {:?}",
                single.err()
            );
        }
        Err(_) => assert!(single.is_err(), "build() accepted {origin:?}"),
    }

    // Everything at once, each field used where the selector says.
    let mut builder = Cors::builder().allow_credentials(credentials);
    builder = if selector & 2 != 0 {
        builder.allow_origins(field(0).split(','))
    } else {
        builder.allow_origin("https://app.example.com")
    };
    if selector & 4 != 0 {
        builder = builder.allow_origin_regex(field(1));
    }
    if selector & 8 != 0 {
        builder = builder.allow_methods(field(2).split(','));
    }
    if selector & 16 != 0 {
        builder = builder.allow_headers(field(3).split(','));
    }
    if selector & 32 != 0 {
        builder = builder.expose_headers(field(3).split(','));
    }
    let _ = builder.build();
});
