//! Step 3: generate the route. Every piece of behaviour lives in
//! `cors_actix`; the expansion only passes the validated values to it.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::{ItemFn, LitStr, Path};

use crate::parse::{Parsed, StringList};
use crate::validate::{Policy, Settings, Validated};

pub(crate) fn expand(v: Validated) -> TokenStream {
    let name = &v.handler.sig.ident;
    let build = match v.policy {
        // Spanned at the user's path, so a wrong signature is reported there.
        Policy::RunTime(policy) => quote_spanned! {policy.span()=>
            ::cors_actix::__private::run_time_policy(#policy)
        },
        Policy::Keys(settings) => {
            let builder = builder(settings, &v.route.methods);
            quote! { ::cors_actix::__private::build_route_policy(#builder) }
        }
    };
    let path = &v.route.path;
    let methods = &v.route.methods;
    let resource_name = v
        .route
        .name
        .as_ref()
        .map_or_else(|| name.to_string(), LitStr::value);

    route_struct(
        v.handler,
        v.route_attr,
        quote! {
            static __CORS_POLICY: ::cors_actix::__private::LazyLock<::cors_actix::Cors> =
                ::cors_actix::__private::LazyLock::new(|| {
                    #build
                });

            ::cors_actix::__private::RouteRegistration {
                name: #resource_name,
                path: #path,
                methods: &[#(#methods),*],
                policy: &__CORS_POLICY,
            }
            .register(__config, #name);
        },
    )
}

/// What goes beside the errors when `#[cors]` refuses a handler, so that they
/// are the only errors: with a route attribute, the route's type as a valid
/// expansion makes it (`App::service(handler)` still type-checks, the
/// handler's body is still checked) but registering nothing; without one,
/// the function as written, which may be the inner function of a route
/// attribute written above `#[cors]`.
pub(crate) fn fallback(parsed: &Parsed) -> TokenStream {
    match &parsed.route_attr {
        None => parsed.handler.to_token_stream(),
        Some(route_attr) => {
            let mut handler = parsed.handler.clone();
            handler.attrs.push(syn::parse_quote!(#[allow(dead_code)]));
            route_struct(&handler, route_attr, TokenStream::new())
        }
    }
}

/// The unit struct named like the handler, which `App::service` takes, with
/// the handler inside its `register` before `register_route`.
fn route_struct(handler: &ItemFn, route_attr: &Path, register_route: TokenStream) -> TokenStream {
    let vis = &handler.vis;
    let name = &handler.sig.ident;
    let doc_attrs = handler.attrs.iter().filter(|a| a.path().is_ident("doc"));
    quote! {
        #(#doc_attrs)*
        #[allow(non_camel_case_types, missing_docs)]
        #[derive(Clone)]
        #vis struct #name;

        // A `#[cors]` route is a service, registered with `App::service`.
        // Passed to `web::get().to(..)` instead, the compiler's error then
        // names this marker, which says what to do, rather than only that
        // `Handler<_>` is not implemented.
        const _: () = {
            #[allow(non_camel_case_types)]
            pub enum a_cors_route_is_registered_with_App_service_not_with_route_to {}
            impl ::cors_actix::__private::Handler<
                a_cors_route_is_registered_with_App_service_not_with_route_to,
            > for #name {
                type Output = ::cors_actix::__private::HttpResponse;
                type Future = ::std::future::Ready<::cors_actix::__private::HttpResponse>;
                fn call(
                    &self,
                    marker: a_cors_route_is_registered_with_App_service_not_with_route_to,
                ) -> Self::Future {
                    // No value of the marker exists: never called.
                    match marker {}
                }
            }
        };

        impl ::cors_actix::__private::HttpServiceFactory for #name {
            fn register(self, __config: &mut ::cors_actix::__private::AppService) {
                // #[cors] took over the route attribute's job; naming it here
                // keeps the user's `use actix_web::get;` from looking unused.
                #[allow(unused_imports)]
                use #route_attr as _;

                #handler

                #register_route
            }
        }
    }
}

fn builder(s: Settings, methods: &[LitStr]) -> TokenStream {
    let mut builder = quote! { ::cors_actix::Cors::builder() };
    let origins = &s.origins;
    if !origins.is_empty() {
        builder = quote! { #builder.allow_origins([#(#origins),*]) };
    }
    if let Some(origin_fn) = s.origin_fn {
        // Spanned at the user's path, so a wrong signature is reported there.
        let checked = quote_spanned! {origin_fn.span()=>
            ::cors_actix::__private::origin_fn(#origin_fn)
        };
        builder = quote! { #builder.allow_origin_fn(#checked) };
    }
    builder = quote! { #builder.allow_methods([#(#methods),*]) };
    builder = match s.headers {
        Some(StringList::Any(_)) => quote! { #builder.allow_any_header() },
        Some(StringList::List(list)) if !list.is_empty() => {
            quote! { #builder.allow_headers([#(#list),*]) }
        }
        _ => builder,
    };
    builder = match s.expose {
        Some(StringList::Any(_)) => quote! { #builder.expose_any_header() },
        Some(StringList::List(list)) if !list.is_empty() => {
            quote! { #builder.expose_headers([#(#list),*]) }
        }
        _ => builder,
    };
    if s.credentials {
        builder = quote! { #builder.allow_credentials(true) };
    }
    if let Some(secs) = s.max_age {
        builder = quote! { #builder.max_age(::std::time::Duration::from_secs(#secs)) };
    }
    if s.private_network {
        builder = quote! { #builder.allow_private_network(true) };
    }
    if let Some(status) = s.preflight_status {
        builder = quote! {
            #builder.preflight_status(::cors_actix::__private::status(#status))
        };
    }
    if s.block_disallowed {
        builder = quote! { #builder.block_disallowed(true) };
    }
    if !s.diagnostic_preflights {
        builder = quote! { #builder.diagnostic_preflights(false) };
    }
    builder
}
