//! `Access-Control-Allow-Headers`: the request headers a preflight may ask for.

use std::cmp::Ordering;

use actix_web::http::header::HeaderValue;

use crate::request_headers::{HeaderListRefusal, RequestedHeaders};

#[derive(Debug)]
pub(crate) enum AllowHeaders {
    /// A fixed list of lower-case names, sorted for binary search, answered
    /// with one value built at `build()`.
    List {
        names: Vec<Box<str>>,
        value: HeaderValue,
    },
    /// Any header name.
    Any,
}

impl AllowHeaders {
    const ANY_VALUE: HeaderValue = HeaderValue::from_static("*");
    /// `*` never covers `Authorization`, so it is named beside the wildcard.
    const ANY_WITH_AUTHORIZATION_VALUE: HeaderValue = HeaderValue::from_static("*, authorization");

    /// The configured names, for a diagnostic answer (see
    /// `PreflightVerdict::Diagnosed`); `None` when there are none, and for
    /// any header, as `*` would allow what was refused.
    pub(crate) fn listed(&self) -> Option<HeaderValue> {
        match self {
            Self::List { names, value } if !names.is_empty() => Some(value.clone()),
            Self::List { .. } | Self::Any => None,
        }
    }

    /// The first requested name the policy does not allow.
    pub(crate) fn first_refused<'a>(&self, requested: &RequestedHeaders<'a>) -> Option<&'a [u8]> {
        match self {
            Self::List { names, .. } => requested.names().find(|name| !allows(names, name)),
            Self::Any => None,
        }
    }

    /// The `Access-Control-Allow-Headers` value for a preflight, `Ok(None)`
    /// when it asked for no header. All or nothing: one name that is not
    /// allowed refuses the whole preflight.
    pub(crate) fn grant(
        &self,
        requested: &RequestedHeaders<'_>,
        credentials: bool,
    ) -> Result<Option<HeaderValue>, HeaderListRefusal> {
        if requested.is_empty() {
            return Ok(None);
        }
        match self {
            Self::List { value, .. } => match self.first_refused(requested) {
                None => Ok(Some(value.clone())),
                Some(_) => Err(HeaderListRefusal::NotAllowed),
            },
            // With credentials `*` is read as a header literally named "*":
            // echo the (already validated) request list.
            Self::Any if credentials => match requested.single_line() {
                Some(line) => Ok(Some(line.clone())),
                None => Ok(Some(join_names(requested))),
            },
            Self::Any => {
                let authorization = requested
                    .names()
                    .any(|name| name.eq_ignore_ascii_case(b"authorization"));
                Ok(Some(if authorization {
                    Self::ANY_WITH_AUTHORIZATION_VALUE
                } else {
                    Self::ANY_VALUE
                }))
            }
        }
    }
}

/// Joins the names of several request header lines into one value; only
/// needed for clients that split the list over several lines.
fn join_names(requested: &RequestedHeaders<'_>) -> HeaderValue {
    let mut joined = Vec::new();
    for name in requested.names() {
        if !joined.is_empty() {
            joined.push(b',');
        }
        joined.extend(name.iter().map(u8::to_ascii_lowercase));
    }
    // Every name was checked to be a token, so this cannot fail.
    HeaderValue::from_bytes(&joined).unwrap_or(HeaderValue::from_static(""))
}

/// Whether the sorted lower-case `names` hold `name`, in any case. A few
/// names are compared one by one (their lengths decide most comparisons),
/// more by binary search.
fn allows(names: &[Box<str>], name: &[u8]) -> bool {
    const FEW: usize = 8;
    if names.len() <= FEW {
        // Browsers send lower-case names: equal bytes first.
        names.iter().any(|allowed| {
            let allowed = allowed.as_bytes();
            allowed == name || allowed.eq_ignore_ascii_case(name)
        })
    } else {
        names
            .binary_search_by(|allowed| cmp_ignore_case(allowed.as_bytes(), name))
            .is_ok()
    }
}

/// Orders bytes as if both sides were lower-case, without lower-casing them.
fn cmp_ignore_case(lower: &[u8], other: &[u8]) -> Ordering {
    lower
        .iter()
        .map(u8::to_ascii_lowercase)
        .cmp(other.iter().map(u8::to_ascii_lowercase))
}

#[cfg(test)]
mod tests {
    use super::allows;

    #[test]
    fn few_and_many_names_are_matched_alike_in_any_case() {
        for count in [1, 8, 9, 40] {
            let mut names: Vec<Box<str>> = (0..count).map(|i| format!("x-h{i}").into()).collect();
            names.sort();
            for i in 0..count {
                assert!(allows(&names, format!("x-h{i}").as_bytes()));
                assert!(allows(&names, format!("X-H{i}").as_bytes()));
            }
            for absent in ["x-h", "x-hx", "x-h1 ", "", "x-h00"] {
                assert!(!allows(&names, absent.as_bytes()), "{count}: {absent}");
            }
        }
    }
}
