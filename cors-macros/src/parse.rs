//! Step 1: read `#[cors(...)]` and the route attribute under it into plain
//! data, keeping each value's span for error messages. Nothing is judged
//! here beyond syntax.

use proc_macro2::{Span, TokenStream};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, ExprArray, ExprLit, ItemFn, Lit, LitBool, LitInt, LitStr, Meta, Path, Token};

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
    "policy",
];

/// `"*"` or a list of strings.
pub(crate) enum StringList {
    Any(LitStr),
    List(Vec<LitStr>),
}

impl StringList {
    pub(crate) fn span(&self) -> Span {
        match self {
            Self::Any(lit) => lit.span(),
            Self::List(lits) => lits.first().map_or_else(Span::call_site, LitStr::span),
        }
    }
}

#[derive(Default)]
pub(crate) struct CorsArgs {
    pub origins: Option<(Span, Vec<LitStr>)>,
    pub origin_fn: Option<Path>,
    pub headers: Option<StringList>,
    pub expose: Option<StringList>,
    pub credentials: Option<LitBool>,
    pub max_age: Option<LitInt>,
    pub private_network: Option<LitBool>,
    pub preflight_status: Option<LitInt>,
    pub block_disallowed: Option<LitBool>,
    /// `policy = path::to::fn`, a `fn() -> cors_actix::Cors` built at run
    /// time, instead of the other keys.
    pub policy: Option<Path>,
}

/// The actix-web route attribute `#[cors]` stacks on.
pub(crate) struct RouteAttr {
    /// `get`, `post`, … or `route`.
    pub kind: syn::Ident,
    /// The attribute's path as written (`get`, `actix_web::get`): the
    /// expansion refers to it so that the user's import stays used.
    pub attr_path: Path,
    pub path: LitStr,
    /// Methods as written (`GET` for `#[get]`), with their spans.
    pub methods: Vec<LitStr>,
    pub name: Option<LitStr>,
}

pub(crate) struct Parsed {
    pub args: CorsArgs,
    pub args_span: Span,
    pub route: RouteAttr,
    pub handler: ItemFn,
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

pub(crate) fn parse(args: TokenStream, item: TokenStream) -> syn::Result<Parsed> {
    // Errors about the attribute as a whole point at all of it.
    let args_span = Span::call_site();
    let metas = Punctuated::<Meta, Token![,]>::parse_terminated
        .parse2(args)
        .map_err(|e| {
            syn::Error::new(
                e.span(),
                format!(
                    "{e}; #[cors] takes `key = value` pairs separated by commas, \
                     e.g. #[cors(origins = [\"https://app.example.com\"], credentials = true)]"
                ),
            )
        })?;
    let mut handler: ItemFn = syn::parse2(item).map_err(|e| {
        syn::Error::new(
            e.span(),
            "#[cors] goes on an async handler function with an actix-web route attribute, \
             e.g. #[cors(origins = [\"https://app.example.com\"])] #[get(\"/path\")] async fn handler() ...",
        )
    })?;

    let mut parsed = CorsArgs::default();
    for meta in metas {
        let key = key_name(meta.path());
        let span = meta.path().span();
        if !KEYS.contains(&key.as_str()) {
            return Err(unknown_key(meta.path(), &key));
        }
        let pair = match meta {
            Meta::NameValue(pair) => pair,
            other => {
                return Err(syn::Error::new_spanned(
                    &other,
                    format!("`{key}` needs a value: write {}", example(&key)),
                ))
            }
        };
        let duplicate =
            || syn::Error::new(span, format!("duplicate key `{key}`; give each key once"));
        match key.as_str() {
            "origins" => {
                let list = string_list(&pair.value, "origins")?;
                let origins = match list {
                    StringList::Any(lit) => vec![lit],
                    StringList::List(lits) => lits,
                };
                if parsed
                    .origins
                    .replace((pair.value.span(), origins))
                    .is_some()
                {
                    return Err(duplicate());
                }
            }
            "origin_fn" => {
                let Expr::Path(path) = &pair.value else {
                    return Err(syn::Error::new_spanned(
                        &pair.value,
                        "origin_fn takes the path of a function `fn(&str, &actix_web::dev::RequestHead) -> bool`, \
                         e.g. origin_fn = crate::auth::is_partner_origin; define a closure as a named function",
                    ));
                };
                if parsed.origin_fn.replace(path.path.clone()).is_some() {
                    return Err(duplicate());
                }
            }
            "policy" => {
                let Expr::Path(path) = &pair.value else {
                    return Err(syn::Error::new_spanned(
                        &pair.value,
                        "policy takes the path of a function `fn() -> cors_actix::Cors`, \
                         e.g. policy = crate::cors::partner_policy",
                    ));
                };
                if parsed.policy.replace(path.path.clone()).is_some() {
                    return Err(duplicate());
                }
            }
            "block_disallowed" => {
                if parsed
                    .block_disallowed
                    .replace(bool_lit(&pair.value, "block_disallowed")?)
                    .is_some()
                {
                    return Err(duplicate());
                }
            }
            "headers" => {
                if parsed
                    .headers
                    .replace(string_list(&pair.value, "headers")?)
                    .is_some()
                {
                    return Err(duplicate());
                }
            }
            "expose" => {
                if parsed
                    .expose
                    .replace(string_list(&pair.value, "expose")?)
                    .is_some()
                {
                    return Err(duplicate());
                }
            }
            "credentials" => {
                if parsed
                    .credentials
                    .replace(bool_lit(&pair.value, "credentials")?)
                    .is_some()
                {
                    return Err(duplicate());
                }
            }
            "private_network" => {
                if parsed
                    .private_network
                    .replace(bool_lit(&pair.value, "private_network")?)
                    .is_some()
                {
                    return Err(duplicate());
                }
            }
            "max_age" => {
                if parsed
                    .max_age
                    .replace(int_lit(
                        &pair.value,
                        "max_age",
                        "seconds, e.g. max_age = 600",
                    )?)
                    .is_some()
                {
                    return Err(duplicate());
                }
            }
            "preflight_status" => {
                if parsed
                    .preflight_status
                    .replace(int_lit(
                        &pair.value,
                        "preflight_status",
                        "a status code, e.g. preflight_status = 200",
                    )?)
                    .is_some()
                {
                    return Err(duplicate());
                }
            }
            _ => unreachable!("checked against KEYS above"),
        }
    }

    let route = take_route_attr(&mut handler)?;
    Ok(Parsed {
        args: parsed,
        args_span,
        route,
        handler,
    })
}

/// What `#[cors]` leaves in place of a handler it refuses: the handler as
/// written, so that its route attribute still expands and the refusal is the
/// only error; without its route attribute when that attribute is the
/// problem, which actix-web would report a second time.
pub(crate) fn fallback(item: TokenStream) -> TokenStream {
    let Ok(mut handler) = syn::parse2::<ItemFn>(item.clone()) else {
        return item;
    };
    let mut probe = handler.clone();
    match take_route_attr(&mut probe).and_then(|route| crate::validate::check_route(&route)) {
        Ok(()) => item,
        Err(_) => {
            handler.attrs.retain(|attr| !is_route_attr(attr));
            quote::ToTokens::into_token_stream(handler)
        }
    }
}

fn is_route_attr(attr: &syn::Attribute) -> bool {
    let last = attr.path().segments.last().map(|s| s.ident.to_string());
    last.is_some_and(|name| name == "route" || ROUTE_ATTRS.iter().any(|(n, _)| *n == name))
}

/// Removes the route attribute from the handler and reads it.
fn take_route_attr(handler: &mut ItemFn) -> syn::Result<RouteAttr> {
    let position = handler.attrs.iter().position(is_route_attr);
    let Some(position) = position else {
        return Err(syn::Error::new(
            handler.sig.ident.span(),
            "#[cors] needs an actix-web route attribute under it, e.g. #[get(\"/path\")]; \
             write #[cors(...)] first and the route attribute below it",
        ));
    };
    let attr = handler.attrs.remove(position);
    let kind = attr
        .path()
        .segments
        .last()
        .map(|s| s.ident.clone())
        .expect("route attribute has a name");
    let kind_name = kind.to_string();
    let metas = attr.parse_args_with(Punctuated::<Expr, Token![,]>::parse_terminated)?;
    let mut metas = metas.into_iter();
    let path = match metas.next() {
        Some(Expr::Lit(ExprLit {
            lit: Lit::Str(path),
            ..
        })) => path,
        other => {
            return Err(syn::Error::new(
                other.map_or(attr.span(), |e| e.span()),
                format!(
                "#[{kind_name}] takes the route's path first, e.g. #[{kind_name}(\"/api/posts\")]"
            ),
            ))
        }
    };
    let mut methods = Vec::new();
    if let Some((_, method)) = ROUTE_ATTRS.iter().find(|(n, _)| *n == kind_name) {
        methods.push(LitStr::new(method, kind.span()));
    }
    let mut name = None;
    for meta in metas {
        let Expr::Assign(assign) = &meta else {
            return Err(syn::Error::new(meta.span(), "expected `key = value`"));
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
            ("guard" | "wrap", _) => {
                return Err(syn::Error::new(
                    assign.left.span(),
                    format!(
                        "`{key}` is not supported under #[cors]: the route's resource is generated by #[cors]; \
                         wrap or guard a scope around it instead"
                    ),
                ))
            }
            _ => {
                return Err(syn::Error::new(
                    assign.left.span(),
                    format!("unsupported option `{key}` in #[{kind_name}] under #[cors]; supported: name{}",
                        if kind_name == "route" { ", method" } else { "" }),
                ))
            }
        }
    }
    if methods.is_empty() {
        return Err(syn::Error::new(
            kind.span(),
            "#[route] under #[cors] needs at least one method, e.g. #[route(\"/path\", method = \"GET\", method = \"POST\")]",
        ));
    }
    Ok(RouteAttr {
        kind,
        attr_path: attr.path().clone(),
        path,
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

fn string_list(value: &Expr, key: &str) -> syn::Result<StringList> {
    let wrong = || {
        syn::Error::new_spanned(
            value,
            format!(
                "{key} takes a list of string literals or \"*\", e.g. {}",
                example(key)
            ),
        )
    };
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) if s.value() == "*" => Ok(StringList::Any(s.clone())),
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) if key == "origins" => Ok(StringList::List(vec![s.clone()])),
        Expr::Array(ExprArray { elems, .. }) => {
            let mut out = Vec::new();
            for elem in elems {
                match elem {
                    Expr::Lit(ExprLit {
                        lit: Lit::Str(s), ..
                    }) => out.push(s.clone()),
                    other => {
                        return Err(syn::Error::new_spanned(
                            other,
                            format!(
                                "each item of {key} is a string literal, e.g. {}",
                                example(key)
                            ),
                        ))
                    }
                }
            }
            if out.len() == 1 && out[0].value() == "*" && key != "origins" {
                return Ok(StringList::Any(out.remove(0)));
            }
            Ok(StringList::List(out))
        }
        _ => Err(wrong()),
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
