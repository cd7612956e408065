//! Step 1: read `#[cors(...)]` and the route attribute under it into plain
//! data, keeping each value's span for error messages. Nothing is judged
//! here beyond syntax; a value that cannot be read is recorded in
//! [`Errors`] and left out, and reading goes on with the next one.

use proc_macro2::{Span, TokenStream};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, ExprArray, ExprLit, ItemFn, Lit, LitBool, LitInt, LitStr, Meta, Path, Token};

use crate::errors::Errors;

/// The keys `#[cors(...)]` accepts.
pub(crate) const KEYS: &[&str] = &[
    "origins",
    "origin_fn",
    "headers",
    "expose",
    "credentials",
    "max_age",
    "private_network",
    "preflight_status",
    "block_disallowed",
    "diagnostic_preflights",
    "policy",
];

/// `"*"` or a list of strings.
#[derive(Clone)]
pub(crate) enum StringList {
    Any(LitStr),
    List(Vec<LitStr>),
}

/// The values of `#[cors(...)]`. A field is `None` when its key is absent or
/// its value could not be read (an error already recorded); `given` tells
/// the two apart.
#[derive(Default)]
pub(crate) struct CorsArgs {
    /// Each key written, once, in order, with the span of its value (of the
    /// key alone when it has no value).
    pub given: Vec<(&'static str, Span)>,
    pub origins: Option<Vec<LitStr>>,
    pub origin_fn: Option<Path>,
    pub headers: Option<StringList>,
    pub expose: Option<StringList>,
    pub credentials: Option<LitBool>,
    pub max_age: Option<LitInt>,
    pub private_network: Option<LitBool>,
    pub preflight_status: Option<LitInt>,
    pub block_disallowed: Option<LitBool>,
    pub diagnostic_preflights: Option<LitBool>,
    /// `policy = path::to::fn`, a `fn() -> cors_actix::Cors` built at run
    /// time, instead of the other keys.
    pub policy: Option<Path>,
}

impl CorsArgs {
    /// The span of `key`'s value, if the key was written.
    pub(crate) fn given(&self, key: &str) -> Option<Span> {
        self.given.iter().find(|(k, _)| *k == key).map(|(_, s)| *s)
    }

    /// Reads the value of `key`, one of [`KEYS`], into its field.
    fn read(&mut self, key: &str, value: &Expr, errors: &mut Errors) {
        match key {
            "origins" => {
                self.origins = string_list(value, key, errors).map(|list| match list {
                    StringList::Any(lit) => vec![lit],
                    StringList::List(lits) => lits,
                });
            }
            "origin_fn" => {
                self.origin_fn = errors.ok(fn_path(
                    value,
                    "origin_fn takes the path of a function `fn(&str, &actix_web::dev::RequestHead) -> bool`, \
                     e.g. origin_fn = crate::auth::is_partner_origin; define a closure as a named function",
                ));
            }
            "policy" => {
                self.policy = errors.ok(fn_path(
                    value,
                    "policy takes the path of a function `fn() -> cors_actix::Cors`, \
                     e.g. policy = crate::cors::partner_policy",
                ));
            }
            "headers" => self.headers = string_list(value, key, errors),
            "expose" => self.expose = string_list(value, key, errors),
            "credentials" => self.credentials = errors.ok(bool_lit(value, key)),
            "private_network" => self.private_network = errors.ok(bool_lit(value, key)),
            "block_disallowed" => self.block_disallowed = errors.ok(bool_lit(value, key)),
            "diagnostic_preflights" => {
                self.diagnostic_preflights = errors.ok(bool_lit(value, key));
            }
            "max_age" => {
                self.max_age = errors.ok(int_lit(value, key, "seconds, e.g. max_age = 600"));
            }
            "preflight_status" => {
                self.preflight_status = errors.ok(int_lit(
                    value,
                    key,
                    "a status code, e.g. preflight_status = 200",
                ));
            }
            _ => unreachable!("checked against KEYS"),
        }
    }
}

/// What the actix-web route attribute `#[cors]` stacks on says.
pub(crate) struct RouteAttr {
    pub path: LitStr,
    /// Methods as written (`GET` for `#[get]`), with their spans.
    pub methods: Vec<LitStr>,
    pub name: Option<LitStr>,
}

pub(crate) struct Parsed {
    /// `None` when the attribute is not a list of `key = value` pairs.
    pub args: Option<CorsArgs>,
    /// The handler, without its route attribute.
    pub handler: ItemFn,
    /// The route attribute's path as written (`get`, `actix_web::get`),
    /// `None` when the handler has none.
    pub route_attr: Option<Path>,
    /// `None` when the handler has no route attribute or it could not be read.
    pub route: Option<RouteAttr>,
}

/// Route attributes of actix-web and the method each stands for.
const ROUTE_ATTRS: &[(&str, &str)] = &[
    ("get", "GET"),
    ("post", "POST"),
    ("put", "PUT"),
    ("patch", "PATCH"),
    ("delete", "DELETE"),
    ("head", "HEAD"),
    ("options", "OPTIONS"),
    ("trace", "TRACE"),
    ("connect", "CONNECT"),
];

/// Reads the attribute and the handler; `None` when the item is not a
/// function.
pub(crate) fn parse(args: TokenStream, item: TokenStream, errors: &mut Errors) -> Option<Parsed> {
    let args = parse_args(args, errors);
    let mut handler: ItemFn = errors.ok(syn::parse2(item).map_err(|e| {
        syn::Error::new(
            e.span(),
            "#[cors] goes on an async handler function with an actix-web route attribute, \
             e.g. #[cors(origins = [\"https://app.example.com\"])] #[get(\"/path\")] async fn handler() ...",
        )
    }))?;
    let (route_attr, route) = match handler.attrs.iter().position(is_route_attr) {
        Some(position) => {
            let attr = handler.attrs.remove(position);
            (Some(attr.path().clone()), read_route_attr(&attr, errors))
        }
        None => {
            errors.push(syn::Error::new(
                handler.sig.ident.span(),
                "#[cors] needs an actix-web route attribute under it, e.g. #[get(\"/path\")]; \
                 write #[cors(...)] first and the route attribute below it",
            ));
            (None, None)
        }
    };
    Some(Parsed {
        args,
        handler,
        route_attr,
        route,
    })
}

fn parse_args(args: TokenStream, errors: &mut Errors) -> Option<CorsArgs> {
    let metas = errors.ok(Punctuated::<Meta, Token![,]>::parse_terminated
        .parse2(args)
        .map_err(|e| {
            syn::Error::new(
                e.span(),
                format!(
                    "{e}; #[cors] takes `key = value` pairs separated by commas, \
                         e.g. #[cors(origins = [\"https://app.example.com\"], credentials = true)]"
                ),
            )
        }))?;
    let mut args = CorsArgs::default();
    for meta in metas {
        let written = key_name(meta.path());
        let Some(&key) = KEYS.iter().find(|k| **k == written) else {
            errors.push(unknown_key(meta.path(), &written));
            continue;
        };
        // One check for every key, before its value is read: a second
        // value is refused even when the first could not be read.
        if args.given(key).is_some() {
            errors.push(syn::Error::new(
                meta.path().span(),
                format!("duplicate key `{key}`; give each key once"),
            ));
            continue;
        }
        let Meta::NameValue(pair) = meta else {
            args.given.push((key, meta.span()));
            errors.push(syn::Error::new_spanned(
                &meta,
                format!("`{key}` needs a value: write {}", example(key)),
            ));
            continue;
        };
        args.given.push((key, pair.value.span()));
        args.read(key, &pair.value, errors);
    }
    Some(args)
}

fn is_route_attr(attr: &syn::Attribute) -> bool {
    let last = attr.path().segments.last().map(|s| s.ident.to_string());
    last.is_some_and(|name| name == "route" || ROUTE_ATTRS.iter().any(|(n, _)| *n == name))
}

/// Reads the route attribute; `None` when it has no path.
fn read_route_attr(attr: &syn::Attribute, errors: &mut Errors) -> Option<RouteAttr> {
    let kind = &attr
        .path()
        .segments
        .last()
        .expect("route attribute has a name")
        .ident;
    let kind_name = kind.to_string();
    let metas = errors.ok(attr.parse_args_with(Punctuated::<Expr, Token![,]>::parse_terminated))?;
    let mut metas = metas.into_iter();
    let path = match metas.next() {
        Some(Expr::Lit(ExprLit {
            lit: Lit::Str(path),
            ..
        })) => Some(path),
        other => {
            errors.push(syn::Error::new(
                other.map_or(attr.span(), |e| e.span()),
                format!(
                    "#[{kind_name}] takes the route's path first, e.g. #[{kind_name}(\"/api/posts\")]"
                ),
            ));
            None
        }
    };
    let mut methods = Vec::new();
    if let Some((_, method)) = ROUTE_ATTRS.iter().find(|(n, _)| *n == kind_name) {
        methods.push(LitStr::new(method, kind.span()));
    }
    let mut name = None;
    for meta in metas {
        let Expr::Assign(assign) = &meta else {
            errors.push(syn::Error::new(meta.span(), "expected `key = value`"));
            continue;
        };
        let key = match &*assign.left {
            Expr::Path(p) => p
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default(),
            _ => String::new(),
        };
        match (key.as_str(), &*assign.right) {
            ("method", Expr::Lit(ExprLit { lit: Lit::Str(method), .. })) if kind_name == "route" => {
                methods.push(method.clone());
            }
            ("name", Expr::Lit(ExprLit { lit: Lit::Str(n), .. })) => name = Some(n.clone()),
            ("guard" | "wrap", _) => errors.push(syn::Error::new(
                assign.left.span(),
                format!(
                    "`{key}` is not supported under #[cors]: the route's resource is generated by #[cors]; \
                     wrap or guard a scope around it instead"
                ),
            )),
            _ => errors.push(syn::Error::new(
                assign.left.span(),
                format!("unsupported option `{key}` in #[{kind_name}] under #[cors]; supported: name{}",
                    if kind_name == "route" { ", method" } else { "" }),
            )),
        }
    }
    if methods.is_empty() {
        errors.push(syn::Error::new(
            kind.span(),
            "#[route] under #[cors] needs at least one method, e.g. #[route(\"/path\", method = \"GET\", method = \"POST\")]",
        ));
    }
    Some(RouteAttr {
        path: path?,
        methods,
        name,
    })
}

fn key_name(path: &Path) -> String {
    path.get_ident()
        .map(ToString::to_string)
        .unwrap_or_else(|| {
            quote::ToTokens::to_token_stream(path)
                .to_string()
                .replace(' ', "")
        })
}

/// How each key is written, for messages.
fn example(key: &str) -> &'static str {
    match key {
        "origins" => {
            "origins = [\"https://app.example.com\", \"https://*.example.com\"] (or \"*\")"
        }
        "origin_fn" => "origin_fn = path::to::function",
        "headers" => "headers = [\"content-type\", \"x-custom-header\"] (or \"*\")",
        "expose" => "expose = [\"x-request-id\"] (or \"*\")",
        "credentials" => "credentials = true",
        "max_age" => "max_age = 600 (seconds)",
        "private_network" => "private_network = true",
        "preflight_status" => "preflight_status = 200",
        "block_disallowed" => "block_disallowed = true",
        "diagnostic_preflights" => "diagnostic_preflights = false",
        "policy" => "policy = path::to::function",
        _ => "key = value",
    }
}

/// The error for a key `#[cors]` does not know, with the key that was
/// probably meant.
fn unknown_key(path: &Path, key: &str) -> syn::Error {
    let lower = key.to_ascii_lowercase();
    let hint = if matches!(lower.as_str(), "methods" | "method" | "allow_methods") {
        " the methods are those of the route attribute below, e.g. #[route(\"/path\", method = \"GET\", method = \"PUT\")];"
            .to_owned()
    } else {
        // Builder-style names (`allow_headers`, `expose_headers`) and typos.
        let trimmed = lower
            .strip_prefix("allow_")
            .unwrap_or(&lower)
            .trim_end_matches("_headers");
        let aliases: &[(&str, &str)] = &[
            ("origin", "origins"),
            ("origin_regex", "origins"),
            ("any_origin", "origins"),
            ("any_header", "headers"),
            ("expose_any_header", "expose"),
            ("max_age_secs", "max_age"),
            ("status", "preflight_status"),
        ];
        let suggestion = aliases
            .iter()
            .find(|(alias, _)| *alias == trimmed)
            .map(|(_, key)| *key)
            .or_else(|| {
                KEYS.iter()
                    .copied()
                    .map(|k| (edit_distance(trimmed, k), k))
                    .filter(|(d, _)| *d <= 2)
                    .min()
                    .map(|(_, k)| k)
            });
        match suggestion {
            Some(k) => format!(" did you mean `{k}`? e.g. {};", example(k)),
            None => String::new(),
        }
    };
    syn::Error::new_spanned(
        path,
        format!(
            "unknown key `{key}`;{hint} #[cors] accepts: {}",
            KEYS.join(", ")
        ),
    )
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

/// `"*"` or a list of string literals. Each item that is not a string is
/// recorded and left out; `None` when nothing is left to check.
fn string_list(value: &Expr, key: &str, errors: &mut Errors) -> Option<StringList> {
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) if s.value() == "*" => Some(StringList::Any(s.clone())),
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) if key == "origins" => Some(StringList::List(vec![s.clone()])),
        Expr::Array(ExprArray { elems, .. }) => {
            let mut out = Vec::new();
            for elem in elems {
                match elem {
                    Expr::Lit(ExprLit {
                        lit: Lit::Str(s), ..
                    }) => out.push(s.clone()),
                    other => errors.push(syn::Error::new_spanned(
                        other,
                        format!(
                            "each item of {key} is a string literal, e.g. {}",
                            example(key)
                        ),
                    )),
                }
            }
            if out.is_empty() && !elems.is_empty() {
                return None;
            }
            if out.len() == 1 && out[0].value() == "*" && key != "origins" {
                return Some(StringList::Any(out.remove(0)));
            }
            Some(StringList::List(out))
        }
        _ => {
            errors.push(syn::Error::new_spanned(
                value,
                format!(
                    "{key} takes a list of string literals or \"*\", e.g. {}",
                    example(key)
                ),
            ));
            None
        }
    }
}

/// The path of a function; `wrong` says what the key takes.
fn fn_path(value: &Expr, wrong: &str) -> syn::Result<Path> {
    match value {
        Expr::Path(path) => Ok(path.path.clone()),
        _ => Err(syn::Error::new_spanned(value, wrong)),
    }
}

fn bool_lit(value: &Expr, key: &str) -> syn::Result<LitBool> {
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Bool(b), ..
        }) => Ok(b.clone()),
        _ => Err(syn::Error::new_spanned(
            value,
            format!("{key} takes true or false, e.g. {}", example(key)),
        )),
    }
}

fn int_lit(value: &Expr, key: &str, example: &str) -> syn::Result<LitInt> {
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Int(i), ..
        }) => Ok(i.clone()),
        _ => Err(syn::Error::new_spanned(
            value,
            format!("{key} takes an integer literal: {example}"),
        )),
    }
}
