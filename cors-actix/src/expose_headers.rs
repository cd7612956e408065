//! `Access-Control-Expose-Headers`: response headers page script may read
//! besides the CORS-safelisted ones.

use actix_web::http::header::{self, HeaderMap, HeaderValue};

use crate::headers::ACCESS_CONTROL_EXPOSE_HEADERS;

#[derive(Debug)]
pub(crate) enum ExposeHeaders {
    None,
    /// A fixed list, built once at `build()`.
    List(HeaderValue),
    /// Every response header.
    Any,
}

impl ExposeHeaders {
    const ANY_VALUE: HeaderValue = HeaderValue::from_static("*");

    pub(crate) fn apply(&self, headers: &mut HeaderMap, credentials: bool) {
        let value = match self {
            Self::None => return,
            Self::List(value) => value.clone(),
            Self::Any if !credentials => Self::ANY_VALUE,
            // With credentials `*` is a header literally named "*", so the
            // names this response actually carries are listed. This one case
            // builds a value per response; a fixed list avoids it.
            Self::Any => match names_of(headers) {
                Some(value) => value,
                None => return,
            },
        };
        headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, value);
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
