#[cors_actix::cors(origins = ["https://app.example.com"], expose = ["x-request-id", "set-cookie"])]
#[actix_web::get("/x")]
async fn handler() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().finish()
}

fn main() {}
