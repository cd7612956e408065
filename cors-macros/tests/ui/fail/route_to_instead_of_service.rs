use actix_web::{web, App};

#[cors_actix::cors(origins = ["https://app.example.com"])]
#[actix_web::get("/x")]
async fn handler() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().finish()
}

fn main() {
    // Should be `.service(handler)`.
    let _ = App::new().route("/x", web::get().to(handler));
}
