//! Reading `Access-Control-Request-Headers` within fixed bounds.
//!
//! Browsers send one line of lower-case names, sorted and joined by `,`
//! without spaces. Other clients may send anything, so parsing is tolerant
//! (any case, optional whitespace, empty elements, several header lines) but
//! bounded: past [`MAX_REQUESTED_HEADERS`] names or [`MAX_REQUEST_HEADERS_LEN`]
//! bytes the preflight is refused. Names are visited in place; nothing is
//! allocated however long the header is.

use actix_web::http::header::{HeaderMap, HeaderValue};
use cors_actix_core::is_tchar;
use cors_actix_core::MAX_HEADER_NAME_LEN;

use crate::headers::ACCESS_CONTROL_REQUEST_HEADERS;

/// Most header names one preflight may ask for. Browsers list only the
/// non-safelisted headers a page set; real requests ask for a handful.
///
/// ```
/// assert_eq!(cors_actix::MAX_REQUESTED_HEADERS, 64);
/// ```
pub const MAX_REQUESTED_HEADERS: usize = 64;

/// Most bytes, over all `Access-Control-Request-Headers` lines, read.
///
/// ```
/// assert_eq!(cors_actix::MAX_REQUEST_HEADERS_LEN, 4096);
/// ```
pub const MAX_REQUEST_HEADERS_LEN: usize = 4096;

/// Why a requested header list was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeaderListRefusal {
    /// Over one of the limits above.
    TooLong,
    /// An element that is not a header name.
    Malformed,
    /// A name the policy does not allow.
    NotAllowed,
}

/// The requested header lines of one preflight, checked against the limits.
pub(crate) struct RequestedHeaders<'a> {
    /// The first line, when any name was requested at all.
    first: Option<&'a HeaderValue>,
    map: &'a HeaderMap,
    line_count: usize,
}

impl<'a> RequestedHeaders<'a> {
    /// Reads the request's lines; `Err` when a limit is exceeded or a line is
    /// not text.
    pub(crate) fn read(map: &'a HeaderMap) -> Result<Self, HeaderListRefusal> {
        let mut total = 0;
        let mut names = 0;
        let mut line_count = 0;
        let mut first = None;
        for line in map.get_all(ACCESS_CONTROL_REQUEST_HEADERS) {
            line_count += 1;
            total += line.len();
            if total > MAX_REQUEST_HEADERS_LEN {
                return Err(HeaderListRefusal::TooLong);
            }
            for name in split_list(line.as_bytes()) {
                names += 1;
                if names > MAX_REQUESTED_HEADERS {
                    return Err(HeaderListRefusal::TooLong);
                }
                if name.len() > MAX_HEADER_NAME_LEN || !name.iter().copied().all(is_tchar) {
                    return Err(HeaderListRefusal::Malformed);
                }
                first.get_or_insert(line);
            }
        }
        Ok(Self {
            first,
            map,
            line_count,
        })
    }

    /// Whether at least one name was requested.
    pub(crate) fn is_empty(&self) -> bool {
        self.first.is_none()
    }

    /// Every requested name, as sent (any case).
    pub(crate) fn names(&self) -> Names<'a> {
        // One line (what browsers send) is split where it is; only several
        // lines are looked up again.
        match self.single_line() {
            Some(line) => Names {
                lines: None,
                current: split_list(line.as_bytes()),
            },
            None => Names {
                lines: Some(self.map.get_all(ACCESS_CONTROL_REQUEST_HEADERS)),
                current: ListElements { rest: None },
            },
        }
    }

    /// The request's single header line, when there is exactly one: it can be
    /// echoed back without building a new value.
    pub(crate) fn single_line(&self) -> Option<&'a HeaderValue> {
        self.first.filter(|_| self.line_count == 1)
    }
}

/// The iterator of [`RequestedHeaders::names`]: a plain struct, where a chain
/// of optional iterators cost more than the splitting it drives, on every
/// preflight that asks for a header.
pub(crate) struct Names<'a> {
    /// The lines still to split, when there are several.
    lines: Option<std::slice::Iter<'a, HeaderValue>>,
    current: ListElements<'a>,
}

impl<'a> Iterator for Names<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        loop {
            if let Some(name) = self.current.next() {
                return Some(name);
            }
            let line = self.lines.as_mut()?.next()?;
            self.current = split_list(line.as_bytes());
        }
    }
}

/// The non-empty, whitespace-trimmed elements of a comma-separated list.
pub(crate) fn split_list(bytes: &[u8]) -> ListElements<'_> {
    ListElements { rest: Some(bytes) }
}

/// The iterator of [`split_list`]: a plain loop over the bytes, as this runs
/// for every name of every preflight.
pub(crate) struct ListElements<'a> {
    rest: Option<&'a [u8]>,
}

impl<'a> Iterator for ListElements<'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        loop {
            let rest = self.rest?;
            let (element, after) = match rest.iter().position(|&b| b == b',') {
                Some(comma) => (&rest[..comma], Some(&rest[comma + 1..])),
                None => (rest, None),
            };
            self.rest = after;
            let element = element.trim_ascii();
            if !element.is_empty() {
                return Some(element);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn read(lines: &[&str]) -> Result<Vec<String>, HeaderListRefusal> {
        let mut req = TestRequest::default();
        for line in lines {
            req = req.append_header((ACCESS_CONTROL_REQUEST_HEADERS, *line));
        }
        let req = req.to_http_request();
        let parsed = RequestedHeaders::read(req.headers())?;
        Ok(parsed
            .names()
            .map(|n| String::from_utf8(n.to_vec()).unwrap())
            .collect())
    }

    #[test]
    fn tolerates_case_spaces_empties_and_several_lines() {
        assert_eq!(
            read(&["X-A, ,x-b,,", " x-c "]).unwrap(),
            ["X-A", "x-b", "x-c"]
        );
        assert_eq!(read(&[]).unwrap(), Vec::<String>::new());
        assert_eq!(read(&[" , "]).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn refuses_malformed_names() {
        assert_eq!(read(&["x-a, x b"]), Err(HeaderListRefusal::Malformed));
        assert_eq!(read(&["x-a;x-b"]), Err(HeaderListRefusal::Malformed));
    }

    #[test]
    fn bounds_the_work() {
        let many = vec!["x"; MAX_REQUESTED_HEADERS + 1].join(",");
        assert_eq!(read(&[&many]), Err(HeaderListRefusal::TooLong));
        let long = "x".repeat(MAX_REQUEST_HEADERS_LEN + 1);
        assert_eq!(read(&[&long]), Err(HeaderListRefusal::TooLong));
        let at_limit = vec!["x"; MAX_REQUESTED_HEADERS].join(",");
        assert_eq!(read(&[&at_limit]).unwrap().len(), MAX_REQUESTED_HEADERS);
    }
}
