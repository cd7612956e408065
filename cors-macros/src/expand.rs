//! Step 3: generate the route. Every piece of behaviour lives in
//! `cors_actix`; the expansion only passes the validated values to it.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::validate::{ListSetting, Validated};

pub(crate) fn expand(v: Validated) -> TokenStream {
    let Validated {
        origins,
        origin_fn,
        headers,
        expose,
        credentials,
        max_age,
        private_network,
        preflight_status,
        block_disallowed,
        policy,
        path,
        methods,
        resource_name,
        route_attr_path,
        handler,
    } = v;

    let vis = &handler.vis;
    let name = &handler.sig.ident;
    let doc_attrs: Vec<_> = handler
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .collect();

    let mut builder = quote! { ::cors_actix::Cors::builder() };
    if !origins.is_empty() {
        builder = quote! { #builder.allow_origins([#(#origins),*]) };
    }
    if let Some(origin_fn) = origin_fn {
        // Spanned at the user's path, so a wrong signature is reported there.
        let checked = quote_spanned! {origin_fn.span()=>
            ::cors_actix::__private::origin_fn(#origin_fn)
        };
        builder = quote! { #builder.allow_origin_fn(#checked) };
    }
    builder = quote! { #builder.allow_methods([#(#methods),*]) };
    builder = match headers {
        ListSetting::Any => quote! { #builder.allow_any_header() },
        ListSetting::List(list) if list.is_empty() => builder,
        ListSetting::List(list) => quote! { #builder.allow_headers([#(#list),*]) },
    };
    builder = match expose {
        ListSetting::Any => quote! { #builder.expose_any_header() },
        ListSetting::List(list) if list.is_empty() => builder,
        ListSetting::List(list) => quote! { #builder.expose_headers([#(#list),*]) },
    };
    if credentials {
        builder = quote! { #builder.allow_credentials(true) };
    }
    if let Some(secs) = max_age {
        builder = quote! { #builder.max_age(::std::time::Duration::from_secs(#secs)) };
    }
    if private_network {
        builder = quote! { #builder.allow_private_network(true) };
    }
    if let Some(status) = preflight_status {
        builder = quote! {
            #builder.preflight_status(::cors_actix::__private::status(#status))
        };
    }

    if block_disallowed {
        builder = quote! { #builder.block_disallowed(true) };
    }
    let build = match policy {
        // Spanned at the user's path, so a wrong signature is reported there.
        Some(policy) => quote_spanned! {policy.span()=>
            ::cors_actix::__private::run_time_policy(#policy)
        },
        None => quote! { ::cors_actix::__private::build_route_policy(#builder) },
    };

    quote! {
        #(#doc_attrs)*
        #[allow(non_camel_case_types, missing_docs)]
        #vis struct #name;

        impl ::cors_actix::__private::HttpServiceFactory for #name {
            fn register(self, __config: &mut ::cors_actix::__private::AppService) {
                // #[cors] took over the route attribute's job; naming it here
                // keeps the user's `use actix_web::get;` from looking unused.
                #[allow(unused_imports)]
                use #route_attr_path as _;

                #handler

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
            }
        }
    }
}
