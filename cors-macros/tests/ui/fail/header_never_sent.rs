#[cors_actix::cors(origins = ["https://app.example.com"], headers = ["content-type", "Cookie"])]
#[actix_web::get("/x")]
async fn handler() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().finish()
}

fn main() {}
