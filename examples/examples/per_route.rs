//! Per-route policies with `#[cors]`: `cargo run -p cors-examples --example per_route`
//!
//! GET /api/posts is readable from any example.com subdomain; DELETE on the
//! same path only from the admin site, with cookies. A global middleware
//! covers every other route; a route's own policy replaces it.

use actix_web::{delete, get, web, App, HttpResponse, HttpServer, Responder};
use cors_actix::{cors, Cors};

#[cors(origins = ["https://*.example.com"], expose = ["x-total"], max_age = 600)]
#[get("/api/posts")]
async fn list_posts() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("X-Total", "2"))
        .json(["foo", "bar"])
}

#[cors(origins = ["https://admin.example.com"], credentials = true)]
#[delete("/api/posts")]
async fn delete_posts() -> impl Responder {
    HttpResponse::NoContent()
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("cors_actix=debug"))
        .init();
    let global = Cors::builder()
        .allow_origin("https://app.example.com")
        .build()
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    println!("listening on http://127.0.0.1:8080");
    HttpServer::new(move || {
        App::new()
            .wrap(global.clone())
            .service(list_posts)
            .service(delete_posts)
            .route(
                "/health",
                web::get().to(|| async { HttpResponse::Ok().body("ok") }),
            )
    })
    .bind(("127.0.0.1", 8080))?
    .run()
    .await
}
