//! `Access-Control-Expose-Headers`: response headers page script may read
//! besides the CORS-safelisted ones.

use std::fmt;

use actix_web::http::header::{self, HeaderMap, HeaderValue};
use cors_actix_core::never_readable_response_header;

use crate::headers::{header_names, list_value, write_absent, ACCESS_CONTROL_EXPOSE_HEADERS, ANY};
use crate::CorsConfigError;

/// The response headers a policy exposes; built only by
/// [`from_config`](Self::from_config), so a list is valid and never empty.
pub(crate) struct ExposeHeaders(Expose);

#[derive(Debug)]
enum Expose {
    None,
    /// A fixed list, built once at `build()`.
    List(HeaderValue),
    /// Every response header.
    Any,
}

impl ExposeHeaders {
    /// Checks the names given to `expose_headers`, adding a warning for each
    /// one script can never read; `any` is `expose_any_header()`, which wins.
    pub(crate) fn from_config(
        names: &[String],
        any: bool,
        warnings: &mut Vec<String>,
    ) -> Result<Self, CorsConfigError> {
        if any {
            return Ok(Self(Expose::Any));
        }
        let names = header_names(names)?;
        warnings.extend(
            names
                .iter()
                .filter_map(|n| never_readable_response_header(n)),
        );
        Ok(Self(if names.is_empty() {
            Expose::None
        } else {
            Expose::List(list_value(&names))
        }))
    }

    pub(crate) fn apply(&self, headers: &mut HeaderMap, credentials: bool) {
        let value = match &self.0 {
            Expose::None => return,
            Expose::List(value) => value.clone(),
            Expose::Any if !credentials => ANY,
            // With credentials `*` is a header literally named "*", so the
            // names this response actually carries are listed. This one case
            // builds a value per response; a fixed list avoids it.
            Expose::Any => match names_of(headers) {
                Some(value) => value,
                None => return,
            },
        };
        write_absent(headers, ACCESS_CONTROL_EXPOSE_HEADERS, value);
    }
}

impl fmt::Debug for ExposeHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

fn names_of(headers: &HeaderMap) -> Option<HeaderValue> {
    let mut joined = String::new();
    let mut seen: Vec<&header::HeaderName> = Vec::new();
    for name in headers.keys() {
        // Set-Cookie is never readable by script, and the CORS headers
        // describe the response rather than being part of it.
        if name == header::SET_COOKIE
            || name.as_str().starts_with("access-control-")
            || seen.contains(&name)
        {
            continue;
        }
        seen.push(name);
        if !joined.is_empty() {
            joined.push_str(", ");
        }
        joined.push_str(name.as_str());
    }
    if joined.is_empty() {
        None
    } else {
        HeaderValue::from_str(&joined).ok()
    }
}
