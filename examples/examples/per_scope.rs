//! A policy per scope: `cargo run -p cors-examples --example per_scope`
//!
//! `/public` is readable from anywhere; `/account` only from the front end,
//! with cookies; everything else has no CORS at all.

use actix_web::{web, App, HttpResponse, HttpServer};
use cors_actix::Cors;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("cors_actix=debug"))
        .init();
    let invalid = |e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e);
    let public = Cors::builder()
        .allow_any_origin()
        .build()
        .map_err(invalid)?;
    let account = Cors::builder()
        .allow_origin("https://app.example.com")
        .allow_methods(["GET", "PUT"])
        .allow_headers(["content-type"])
        .allow_credentials(true)
        .build()
        .map_err(invalid)?;
    println!("listening on http://127.0.0.1:8080");
    HttpServer::new(move || {
        App::new()
            .service(web::scope("/public").wrap(public.clone()).route(
                "/stats",
                web::get().to(|| async { HttpResponse::Ok().json(42) }),
            ))
            .service(web::scope("/account").wrap(account.clone()).route(
                "/me",
                web::get().to(|| async { HttpResponse::Ok().body("me") }),
            ))
            .route(
                "/internal",
                web::get().to(|| async { HttpResponse::Ok().body("no CORS") }),
            )
    })
    .bind(("127.0.0.1", 8080))?
    .run()
    .await
}
