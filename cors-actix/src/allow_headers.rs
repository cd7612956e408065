//! `Access-Control-Allow-Headers`: the request headers a preflight may ask for.

use std::cmp::Ordering;
use std::fmt;

use actix_web::http::header::{HeaderMap, HeaderValue};
use cors_actix_core::never_sent_request_header;

use crate::headers::{header_names, list_value, ACCESS_CONTROL_REQUEST_HEADERS, ANY};
use crate::request_headers::{
    HeaderListRefusal, RequestedHeaders, MAX_REQUESTED_HEADERS, MAX_REQUEST_HEADERS_LEN,
};
use crate::CorsConfigError;

/// The request headers of a policy; built only by
/// [`from_config`](Self::from_config), so a list is always valid lower-case
/// names, sorted, and its value matches it.
pub(crate) struct AllowHeaders(Headers);

#[derive(Debug)]
enum Headers {
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
    /// `*` never covers `Authorization`, so it is named beside the wildcard.
    const ANY_WITH_AUTHORIZATION_VALUE: HeaderValue = HeaderValue::from_static("*, authorization");

    /// Checks the names given to `allow_headers`, adding a warning for each
    /// one browsers never let a page send; `any` is `allow_any_header()`,
    /// which wins.
    pub(crate) fn from_config(
        names: &[String],
        any: bool,
        warnings: &mut Vec<String>,
    ) -> Result<Self, CorsConfigError> {
        if any {
            return Ok(Self(Headers::Any));
        }
        let mut names = header_names(names)?;
        warnings.extend(names.iter().filter_map(|n| never_sent_request_header(n)));
        names.sort();
        let value = list_value(&names);
        Ok(Self(Headers::List { names, value }))
    }

    /// Whether any header is allowed (`allow_any_header()`).
    pub(crate) fn is_any(&self) -> bool {
        matches!(self.0, Headers::Any)
    }

    /// The configured names, for a diagnostic answer (see
    /// `PreflightVerdict::Diagnosed`); `None` when there are none, and for
    /// any header, as `*` would allow what was refused.
    pub(crate) fn listed(&self) -> Option<HeaderValue> {
        match &self.0 {
            Headers::List { names, value } if !names.is_empty() => Some(value.clone()),
            Headers::List { .. } | Headers::Any => None,
        }
    }

    /// The first requested name the policy does not allow.
    pub(crate) fn first_refused<'a>(&self, requested: &RequestedHeaders<'a>) -> Option<&'a [u8]> {
        match &self.0 {
            Headers::List { names, .. } => requested.names().find(|name| !allows(names, name)),
            Headers::Any => None,
        }
    }

    /// The grant for a preflight whose request headers are in the form
    /// browsers send (Fetch: one line of distinct lower-case names, sorted,
    /// joined by `,`) and all listed here: `Some(None)` when it asks for
    /// none. `None` for anything else, which [`grant`](Self::grant) then
    /// judges, naming the refusal. Each name is compared once, walking the
    /// policy's sorted names forward, instead of being validated, split
    /// again and looked up: a name equal to a configured one is a valid
    /// token, and at most as many names as are configured can match in
    /// order, so the limits of `RequestedHeaders::read` cannot be passed
    /// unless the policy lists more names than they allow (then counted).
    pub(crate) fn grant_sorted(&self, map: &HeaderMap) -> Option<Option<HeaderValue>> {
        let Headers::List { names, value } = &self.0 else {
            return None;
        };
        let mut lines = map.get_all(ACCESS_CONTROL_REQUEST_HEADERS);
        let line = match (lines.next(), lines.next()) {
            (None, _) => return Some(None),
            (Some(line), None) => line.as_bytes(),
            (Some(_), Some(_)) => return None,
        };
        if line.len() > MAX_REQUEST_HEADERS_LEN {
            return None;
        }
        // The configured names after the last one matched.
        let mut rest: &[Box<str>] = names;
        for (count, name) in line.split(|&b| b == b',').enumerate() {
            if count == MAX_REQUESTED_HEADERS {
                return None;
            }
            let at = if rest.len() <= FEW {
                rest.iter().position(|allowed| allowed.as_bytes() == name)
            } else {
                rest.binary_search_by(|allowed| allowed.as_bytes().cmp(name))
                    .ok()
            }?;
            rest = &rest[at + 1..];
        }
        Some(Some(value.clone()))
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
        match &self.0 {
            Headers::List { value, .. } => match self.first_refused(requested) {
                None => Ok(Some(value.clone())),
                Some(_) => Err(HeaderListRefusal::NotAllowed),
            },
            // With credentials `*` is read as a header literally named "*":
            // echo the (already validated) request list.
            Headers::Any if credentials => match requested.single_line() {
                Some(line) => Ok(Some(line.clone())),
                None => Ok(Some(join_names(requested))),
            },
            Headers::Any => {
                let authorization = requested
                    .names()
                    .any(|name| name.eq_ignore_ascii_case(b"authorization"));
                Ok(Some(if authorization {
                    Self::ANY_WITH_AUTHORIZATION_VALUE
                } else {
                    ANY
                }))
            }
        }
    }
}

impl fmt::Debug for AllowHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
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

/// Up to how many configured names are compared one by one (their lengths
/// decide most comparisons) rather than by binary search.
const FEW: usize = 8;

/// Whether the sorted lower-case `names` hold `name`, in any case. A few
/// names are compared one by one (their lengths decide most comparisons),
/// more by binary search.
fn allows(names: &[Box<str>], name: &[u8]) -> bool {
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
    use super::*;
    use actix_web::test::TestRequest;

    /// `grant_sorted`, where it decides, decides as `grant` does; and it
    /// decides what browsers send.
    #[test]
    fn the_sorted_path_agrees_with_the_general_one() {
        let many: Vec<String> = (0..40).map(|i| format!("x-h{i:02}")).collect();
        let few = vec!["content-type".to_owned(), "x-requested-with".to_owned()];
        let over: Vec<String> = (0..70).map(|i| format!("x-h{i:02}")).collect();
        let cases: &[&[&str]] = &[
            &[],
            &[""],
            &["content-type"],
            &["x-requested-with"],
            &["content-type,x-requested-with"],
            &["x-requested-with,content-type"],
            &["content-type,content-type"],
            &["content-type, x-requested-with"],
            &["Content-Type"],
            &["content-type,"],
            &[",content-type"],
            &["content-type", "x-requested-with"],
            &["x-h00,x-h17,x-h39"],
            &["x-h00,x-h17,x-h40"],
            &["x-h39,x-h00"],
            &["x-other"],
            &["x h"],
        ];
        let all_over = over.join(",");
        let mut cases: Vec<Vec<&str>> = cases.iter().map(|c| c.to_vec()).collect();
        cases.push(vec![&all_over]);
        let mut decided = 0;
        for configured in [&few, &many, &over] {
            let policy = AllowHeaders::from_config(configured, false, &mut Vec::new()).unwrap();
            for lines in &cases {
                let mut req = TestRequest::default();
                for line in lines {
                    req = req.append_header((ACCESS_CONTROL_REQUEST_HEADERS, *line));
                }
                let req = req.to_http_request();
                let general = RequestedHeaders::read(req.headers())
                    .and_then(|requested| policy.grant(&requested, true));
                if let Some(sorted) = policy.grant_sorted(req.headers()) {
                    assert_eq!(Ok(sorted), general, "{configured:?} {lines:?}");
                    decided += 1;
                }
            }
        }
        // No header asked (3 lists), and the browser-form lists of allowed
        // names (3 with the few names, 1 and 2 with the longer lists); not
        // the 70 names, over the limit.
        assert_eq!(decided, 9);
        let browser = TestRequest::default()
            .insert_header((
                ACCESS_CONTROL_REQUEST_HEADERS,
                "content-type,x-requested-with",
            ))
            .to_http_request();
        let policy = AllowHeaders::from_config(&few, false, &mut Vec::new()).unwrap();
        assert!(policy.grant_sorted(browser.headers()).is_some());
        let any = AllowHeaders::from_config(&few, true, &mut Vec::new()).unwrap();
        assert_eq!(any.grant_sorted(browser.headers()), None);
    }

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
