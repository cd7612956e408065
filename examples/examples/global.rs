//! One policy for the whole app: `cargo run -p cors-examples --example global`
//!
//! Try: `curl -i -H 'Origin: https://app.example.com' http://127.0.0.1:8080/hello`

use actix_web::{web, App, HttpResponse, HttpServer};
use cors_actix::Cors;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("cors_actix=debug"))
        .init();
    let cors = Cors::builder()
        .allow_origin("https://app.example.com")
        .allow_methods(["GET", "POST"])
        .allow_headers(["content-type"])
        .build()
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    println!("listening on http://127.0.0.1:8080");
    HttpServer::new(move || {
        App::new().wrap(cors.clone()).route(
            "/hello",
            web::get().to(|| async { HttpResponse::Ok().body("hello") }),
        )
    })
    .bind(("127.0.0.1", 8080))?
    .run()
    .await
}
